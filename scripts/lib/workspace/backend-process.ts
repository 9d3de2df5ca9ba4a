import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './settings.ts';

const backendDir = join(REPO_ROOT, 'backend-flask-ts');

export interface BackendOptions {
  env?: Record<string, string | undefined>;
  /** false starts it without the telemetry --import, as with tracing off. */
  traced?: boolean;
  /** false stops keeping log lines once it listens (a benchmark must not pay for parsing them). */
  collectLogs?: boolean;
  startTimeoutMs?: number;
}

/**
 * Starts the real backend as `npm run start` does (with the --import hook that ESM
 * instrumentation needs) on a free port, and collects its JSON log lines.
 */
export async function startBackendProcess({ env = {}, traced = true, collectLogs = true, startTimeoutMs = 20_000 }: BackendOptions = {}) {
  const args = [...(traced ? ['--import', './src/telemetry/register.ts'] : []), 'src/server.ts'];
  const child = spawn(process.execPath, args, {
    cwd: backendDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_BLRP_SCHEDULE_DELAY: '100', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  let buffered = '';
  let listening: Record<string, unknown> | undefined;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const started = new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`backend-flask-ts did not start within ${startTimeoutMs / 1000} s`)), startTimeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (!collectLogs && listening) return;
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        let record: Record<string, unknown>;
        try {
          record = JSON.parse(line);
        } catch {
          record = { msg: line, unparsed: true };
        }
        logs.push(record);
        if (record.msg === 'backend-flask-ts listening') {
          listening = record;
          clearTimeout(timer);
          resolve(record);
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      const said = logs.find((l) => l.level === 'error')?.msg ?? stderr.trim().split('\n').at(-1);
      reject(new Error(`backend-flask-ts exited (code ${code}) before listening: ${said ?? 'no output'}`));
    });
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  try {
    await started;
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    url: `http://127.0.0.1:${listening!.port}`,
    pid: child.pid!,
    logs,
    stderr: () => stderr,
    /** SIGTERM, as docker stop sends; resolves with the exit code once spans are flushed. */
    async stop(): Promise<number | null> {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export type BackendProcess = Awaited<ReturnType<typeof startBackendProcess>>;
