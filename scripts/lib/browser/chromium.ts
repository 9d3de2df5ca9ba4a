// A browser for the smoke's browser hop and npm run synthetic: a Chrome or Chromium already on
// the machine, driven by playwright-core, which never downloads a browser of its own.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

// Without the background-networking flags Chromium keeps dialling Google on a closed network.
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Where Debian, Ubuntu, Fedora and macOS put Chromium or Chrome, in the order they are tried. */
export const CHROMIUM_PLACES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** The one line that gets a browser where there is none. */
export const GET_CHROMIUM = 'sudo apt-get install -y chromium (Ubuntu: chromium-browser), or set CHROMIUM_PATH to a Chrome or Chromium';

/** CHROMIUM_PATH when set (and it must exist), else the first browser found; why not, when none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env, exists: (path: string) => boolean = existsSync): { path: string } | { why: string } {
  if (env.CHROMIUM_PATH) return exists(env.CHROMIUM_PATH) ? { path: env.CHROMIUM_PATH } : { why: `CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist` };
  const path = CHROMIUM_PLACES.find((p) => exists(p));
  return path ? { path } : { why: 'no Chrome or Chromium on this machine' };
}

export class NoBrowserError extends Error {}

export async function launchChromium(env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  const found = findChromium(env);
  if ('why' in found) throw new NoBrowserError(`${found.why}: ${GET_CHROMIUM}`);
  return chromium.launch({ executablePath: found.path, args: CHROMIUM_ARGS });
}
