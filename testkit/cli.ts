import { spawn } from 'node:child_process';
import { REPO_ROOT } from '../scripts/lib/workspace/settings.ts';

/**
 * Runs one of the project's scripts as a person would, through the launcher the npm scripts
 * use (scripts/launch.js: a new process with Node's compile cache), with exactly `env`.
 */
export function runScript(script: string, args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/launch.js', script, ...args], { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
