import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './http.ts';

const backendDir = fileURLToPath(new URL('../backend-flask-ts/', import.meta.url));

export interface BackendOptions {
  env?: Record<string, string | undefined>;
  /** false starts it without the telemetry --import, as with tracing off. */
  traced?: boolean;
  /** false stops reading log lines once it listens (a benchmark must not pay for parsing them). */
  collectLogs?: boolean;
}

/**
 * Starts the real backend the way `npm run start` does (with the --import hook that ESM
 * instrumentation needs), on a free port, and collects its JSON log lines.
 */
export async function startBackend({ env = {}, traced = true, collectLogs = true }: BackendOptions = {}) {
  const args = [...(traced ? ['--import', './src/telemetry/register.ts'] : []), 'src/server.ts'];
  const child = spawn(process.execPath, args, {
    cwd: backendDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', OTEL_BSP_SCHEDULE_DELAY: '100', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    if (!collectLogs && logs.length > 0 && logs.some((l) => l.msg === 'backend-flask-ts listening')) return;
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ msg: line, unparsed: true });
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const listening = await waitFor(
    () => logs.find((l) => l.msg === 'backend-flask-ts listening') ?? (child.exitCode !== null ? null : undefined),
    15_000,
    'the backend to listen',
  );
  if (!listening) throw new Error(`backend exited before listening:\n${stderr}\n${JSON.stringify(logs)}`);
  const url = `http://127.0.0.1:${listening.port}`;

  return {
    url,
    logs,
    stderr: () => stderr,
    get: (path: string, headers: Record<string, string> = {}) => fetch(url + path, { headers }),
    post: (path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      fetch(url + path, { method: 'POST', body, headers }),
    /** SIGTERM, as docker stop sends; resolves with the exit code. */
    async stop(): Promise<number | null> {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export type Backend = Awaited<ReturnType<typeof startBackend>>;
