// Every start of a Dev Container workspace (.devcontainer/devcontainer.json postStartCommand):
// the stack, then the doctor's report. Not interactive: when the key is missing it says how to
// add it. zx runs the commands as a shell script would, with their output shown as it comes.
import { $ } from 'zx';
import { isMain } from './lib/cli.ts';
import { loadSettings } from './lib/settings.ts';

export const NO_KEY = 'No HONEYCOMB_API_KEY yet: run  npm run setup  (it asks, checks and saves it to .env), then  docker compose up -d';

export async function workspaceStart(env: Record<string, string | undefined> = process.env, say: (line: string) => void = console.log): Promise<number> {
  if (!loadSettings(env).honeycombKey) say(NO_KEY);
  const $$ = $({ env: env as NodeJS.ProcessEnv, verbose: false, stdio: 'inherit', nothrow: true });
  const up = await $$`docker compose up -d`;
  if (up.exitCode !== 0) {
    say(`docker compose up -d failed (exit ${up.exitCode}): see its output above; npm run doctor -- --only workspace,stack says what is missing`);
    return 1;
  }
  // The doctor's exit code is its verdict, printed above; the workspace starts either way.
  await $$`npm run doctor`;
  return 0;
}

if (isMain(import.meta)) process.exitCode = await workspaceStart();
