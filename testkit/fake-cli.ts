import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FakeCliState {
  engine?: 'running' | 'stopped';
  containers?: { Name: string; Service: string; State: string; Env: string[]; Publishers?: { URL: string; TargetPort: number; PublishedPort: number; Protocol: string }[] }[];
  gpEnv?: Record<string, string>;
  /** gp exits 1 saying this (a gp that is there but cannot answer). */
  gpFails?: string;
  /** docker compose ps exits 1 saying this (the engine is there). */
  psFails?: string;
  /** 'array': compose ps prints one JSON array, as releases before JSON Lines did. */
  psFormat?: 'lines' | 'array';
  /** npm exits 1 saying this (npm ci that fails). */
  npmFails?: string;
  /** docker compose up ends by this signal. */
  upSignal?: NodeJS.Signals;
  /** docker compose up exits 1 saying this. */
  upFails?: string;
  /** Containers ps lists but inspect no longer finds (removed in between). */
  gone?: string[];
  /** Every call made, as [tool, ...args] (read from the calls log; setting it does nothing). */
  calls?: string[][];
  /** COMPOSE_FILE of the last docker compose call (read only). */
  composeFile?: string;
  /** APP_COMMIT that docker compose up was given (read only). */
  appCommit?: string;
}

const script = fileURLToPath(new URL('./bin/fake-cli.mjs', import.meta.url));

/**
 * A PATH holding fake `docker` and/or `gp` (and node, which they run on), and the state
 * they answer from. Leave a tool out to test what happens when it is not installed.
 */
export function fakeCli(state: FakeCliState & { ona?: { portOpenFails?: boolean | string; portOpenPrints?: string } }, tools: ('docker' | 'gp' | 'gitpod' | 'ona' | 'npm')[] = ['docker', 'gp']) {
  const dir = mkdtempSync(join(tmpdir(), 'fake-cli-'));
  for (const tool of tools) symlinkSync(script, join(dir, tool));
  symlinkSync(process.execPath, join(dir, 'node'));
  const statePath = join(dir, 'state.json');
  writeFileSync(statePath, JSON.stringify(state));
  return {
    env: { PATH: dir, FAKE_CLI_STATE: statePath },
    set: (next: FakeCliState) => writeFileSync(statePath, JSON.stringify(next)),
    state: (): FakeCliState => {
      const log = `${statePath}.calls`;
      const calls = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as string[]) : [];
      const composeFile = existsSync(`${statePath}.compose-file`) ? readFileSync(`${statePath}.compose-file`, 'utf8') : undefined;
      const appCommit = existsSync(`${statePath}.app-commit`) ? readFileSync(`${statePath}.app-commit`, 'utf8') : undefined;
      return { ...(JSON.parse(readFileSync(statePath, 'utf8')) as FakeCliState), calls, composeFile, appCommit };
    },
  };
}
