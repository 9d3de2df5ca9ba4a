import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT } from '../scripts/lib/workspace/settings.ts';
import { closedPort as freePort, waitFor } from './http.ts';

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

/**
 * The front end's dev server as compose runs it (Vite, with its /api and /v1/traces proxy
 * targets from the environment), on a free loopback port. stop() ends it.
 */
export async function startDevServer(env: { API_PROXY_TARGET: string; OTEL_PROXY_TARGET: string }) {
  const port = await freePort();
  const vite = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const child = spawn(process.execPath, [vite, '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--logLevel', 'error'], {
    cwd: join(REPO_ROOT, 'frontend-react-js'),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill())));
  try {
    await waitFor(async () => ((await fetch(url).catch(() => undefined))?.ok ? true : undefined), 30_000, `the Vite dev server on ${url}`, 100);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop };
}

/** What browser tracing may add to the bundle, gzipped (issue #10). */
export const TRACING_BUDGET_BYTES = 40 * 1024;

/** The gzipped size of a build's JS and CSS: what a browser downloads. */
export function gzipSize(dist: string): number {
  const assets = join(dist, 'assets');
  return readdirSync(assets)
    .filter((f) => /\.(js|css)$/.test(f))
    .reduce((n, f) => n + gzipSync(readFileSync(join(assets, f))).length, 0);
}
