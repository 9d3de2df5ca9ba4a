import { spawn } from 'node:child_process';
import { REPO_ROOT } from '../scripts/lib/workspace/settings.ts';

/**
 * Under npm run mutate, what a script a test starts must inherit although its env is made up:
 * the mutant Stryker switched on (else whatever only the command line reaches could never be
 * killed), and in the dry run the preload that tells which mutants it reached
 * (bench/mutation/), so that those mutants are run at all.
 */
export function underMutation(): Record<string, string> {
  const { __STRYKER_ACTIVE_MUTANT__: mutant, CRUDDUR_MUTATION_COVERAGE_DIR: coverage, NODE_OPTIONS } = process.env;
  return { ...(mutant ? { __STRYKER_ACTIVE_MUTANT__: mutant } : {}), ...(coverage && NODE_OPTIONS ? { CRUDDUR_MUTATION_COVERAGE_DIR: coverage, NODE_OPTIONS } : {}) };
}

/**
 * Runs one of the project's scripts as a person would, through the launcher the npm scripts
 * use (scripts/launch.js: a new process with Node's compile cache), with exactly `env`.
 */
export function runScript(script: string, args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/launch.js', script, ...args], { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env, ...underMutation() } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
