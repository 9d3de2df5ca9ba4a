// Prints the workspace's public URLs as shell exports, for: eval "$(node scripts/workspace-urls.ts)"
// A value already set in the environment wins, so a person can override any of them.
import { isMain } from './lib/cli.ts';
import { workspaceUrls } from './lib/workspace.ts';

export function exportsFor(env: Record<string, string | undefined>): string {
  return Object.entries(workspaceUrls(env))
    .map(([name, value]) => `export ${name}=${JSON.stringify(env[name] || value)}`)
    .join('\n');
}

if (isMain(import.meta)) process.stdout.write(`${exportsFor(process.env)}\n`);
