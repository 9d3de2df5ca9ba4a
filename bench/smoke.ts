// bench/smoke: how long npm run smoke takes.
//   1. remote: start to every hop confirmed, against local servers that answer at once
//   2. local default: the whole run, as the README's first command makes it
//   npm run bench:smoke -- [--runs 5]
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../scripts/lib/workspace/settings.ts';
import { silentTerm } from '../scripts/lib/terminal/term.ts';
import { smoke } from '../scripts/smoke/main.ts';
import { startWorld } from '../scripts/test/world.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const world = await startWorld();
const remote: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  // Honeycomb's minute is a second long in the world: this measures the smoke, not the wait for
  // a real minute to end (up to 60 s on an Enterprise key, before the Query Data API counts a span).
  const { code } = await smoke([], { term: silentTerm(), settings: world.settings(), overrides: { minuteMs: world.honeycomb.minuteMs } });
  const ms = performance.now() - t0;
  if (code !== 0) throw new Error('a remote smoke run failed against the local servers');
  remote.push(ms);
  console.log(`remote run ${i + 1}: all 4 hops confirmed in ${(ms / 1000).toFixed(2)} s`);
}
await world.close();

const localRuns: number[] = [];
for (let i = 0; i < Math.min(runs, 3); i++) {
  const t0 = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['scripts/smoke/main.ts'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: mkdtempSync(join(tmpdir(), 'bench-home-')) },
      stdio: 'ignore',
    });
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error('the local default failed');
  localRuns.push(performance.now() - t0);
  console.log(`local default run ${i + 1}: ${(localRuns.at(-1)! / 1000).toFixed(2)} s`);
}

console.log(`\nmedian, remote (4 hops, servers answering at once): ${(median(remote) / 1000).toFixed(2)} s   target < 2 s`);
console.log(`median, local default (whole command):            ${(median(localRuns) / 1000).toFixed(2)} s   target < 15 s`);
