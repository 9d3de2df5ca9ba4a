import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../scripts/lib/settings.ts';

const run = promisify(execFile);

/**
 * Builds the production bundle as `npm run build -w frontend-react-js` does, into a fresh
 * folder, with the given VITE_* values (and anything else in env, e.g. a key a student
 * exported, to prove it does not leak into the bundle).
 */
export async function buildFrontend(env: Record<string, string | undefined>, outDir = mkdtempSync(join(tmpdir(), 'cruddur-dist-'))): Promise<string> {
  const vite = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  await run(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: join(REPO_ROOT, 'frontend-react-js'),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  return outDir;
}
