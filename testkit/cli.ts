import { spawn } from 'node:child_process';
import { REPO_ROOT } from '../scripts/lib/workspace/settings.ts';

/**
 * Runs one of the project's scripts as a person would, through the launcher the npm scripts
 * use (scripts/launch.js: a new process with Node's compile cache), with exactly `env`.
 */
export function runScript(script: string, args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Under npm run mutate, the mutant Stryker switched on is switched on in the script too:
    // without it, whatever only the command line reaches could never be killed.
    const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
    const child = spawn(process.execPath, ['scripts/launch.js', script, ...args], { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env, ...(mutant ? { __STRYKER_ACTIVE_MUTANT__: mutant } : {}) } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
