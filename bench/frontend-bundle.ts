// bench/frontend-bundle: what browser tracing costs the page, ours beside Honeycomb's web
// distribution set up as its quick start says (bench/honeycomb-web-peer, installed on first use).
//   1. gzip sizes (all JS and CSS; and what index.html loads before the first render)
//   2. load time in headless Chromium, untraced, ours and the peer's, on one origin (no
//      preflight): the load event, and the feed on screen; on localhost and at 50 ms RTT
//   Each round loads the three in a rotating order; a figure is the median of the paired
//   differences from the untraced load of the same round, with their range.
//   npm run bench:frontend -- [--runs 15]
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT } from '../scripts/lib/workspace/settings.ts';
import { startBackend } from '../testkit/backend.ts';
import { launchChromium } from '../testkit/browser.ts';
import { buildFrontend, gzipSize, TRACING_BUDGET_BYTES } from '../testkit/frontend.ts';
import { startOtlpReceiver } from '../testkit/otlp-receiver.ts';
import { serveStatic } from '../testkit/static-server.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Number(values.runs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const PEER_DIR = join(REPO_ROOT, 'bench', 'honeycomb-web-peer');
if (!existsSync(join(PEER_DIR, 'node_modules'))) {
  // Kept out of the workspace's npm ci: installed on the first run of this bench.
  console.log('installing the peer (bench/honeycomb-web-peer, once, about 10 s)...');
  const npm = spawn('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: PEER_DIR, stdio: 'inherit' });
  const code = await new Promise((resolve) => npm.once('exit', resolve));
  if (code !== 0) throw new Error(`npm ci in bench/honeycomb-web-peer failed (exit ${code}): the peer cannot be built`);
}

const MODES = ['off', 'ours', 'peer'] as const;
type Mode = (typeof MODES)[number];
const LABEL: Record<Mode, string> = { off: 'untraced', ours: 'ours', peer: 'Honeycomb web (quick start)' };
const dirs = Object.fromEntries(MODES.map((m) => [m, mkdtempSync(join(tmpdir(), `bench-${m}-`))])) as Record<Mode, string>;
await buildFrontend({ VITE_TRACING: 'off' }, dirs.off);
await buildFrontend({}, dirs.ours);
await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(PEER_DIR, 'vite.config.ts'), '--outDir', dirs.peer, '--emptyOutDir', '--logLevel', 'error'], {
  cwd: join(REPO_ROOT, 'frontend-react-js'),
});

/** What index.html loads itself, gzipped: the bytes before the first render. */
function entrySize(dist: string): number {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  return [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].reduce((n, m) => n + gzipSync(readFileSync(join(dist, m[1]!))).length, 0);
}

// One origin each, as in the workspace: the page's server proxies /api and /v1/traces.
const collector = await startOtlpReceiver();
const backend = await startBackend({ traced: false });
const served = Object.fromEntries(await Promise.all(MODES.map(async (m) => [m, await serveStatic(dirs[m], { '/api/': backend.url, '/v1/traces': collector.url })]))) as Record<Mode, Awaited<ReturnType<typeof serveStatic>>>;

const browser = await launchChromium();
// A student's browser reaches the workspace over the internet: also measure with a typical
// connection emulated (Chromium's own throttling, over CDP).
const NETWORKS = { localhost: undefined, '50 ms RTT, 20 Mbit/s': { offline: false, latency: 50, downloadThroughput: 2_500_000, uploadThroughput: 1_000_000 } };
type Times = Record<Mode, { load: number[]; feed: number[] }>;
const results: Record<string, Times> = {};
for (const [network, conditions] of Object.entries(NETWORKS)) {
  const times = Object.fromEntries(MODES.map((m) => [m, { load: [], feed: [] }])) as unknown as Times;
  results[network] = times;
  process.stdout.write(`${network}: `);
  for (let i = 0; i < runs + 1; i++) {
    // A rotating order: whichever loads later in a round meets warmer caches.
    const order = MODES.map((_, k) => MODES[(i + k) % MODES.length]!);
    for (const mode of order) {
      const context = await browser.newContext();
      const page = await context.newPage();
      if (conditions) {
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', conditions);
      }
      await page.goto(served[mode].url);
      await page.getByTestId('activity').first().waitFor();
      const feed = (await page.evaluate('performance.now()')) as number;
      const load = (await page.evaluate("(() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; })()")) as number;
      await context.close();
      if (i === 0) continue; // the first round warms caches and the JIT
      times[mode].load.push(load);
      times[mode].feed.push(feed);
    }
    process.stdout.write('.');
  }
  process.stdout.write('\n');
}
await browser.close();
await backend.stop();
await Promise.all([...MODES.map((m) => served[m].close()), collector.close()]);

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const size = Object.fromEntries(MODES.map((m) => [m, { all: gzipSize(dirs[m]), entry: entrySize(dirs[m]) }])) as Record<Mode, { all: number; entry: number }>;
console.log('\nbundle, gzip (JS + CSS)          all of it     before the first render');
for (const m of MODES) {
  const added = m === 'off' ? '' : `   tracing adds ${kb(size[m].all - size.off.all)} / ${kb(size[m].entry - size.off.entry)}`;
  console.log(`  ${LABEL[m].padEnd(30)} ${kb(size[m].all).padStart(9)}   ${kb(size[m].entry).padStart(9)}${added}`);
}
console.log(`  (target for ours: under ${kb(TRACING_BUDGET_BYTES)} in all)`);
const pct = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} %`;
for (const [network, times] of Object.entries(results)) {
  console.log(`\n${network}, ${runs} rounds: median ms, and the median paired cost over untraced [its range]`);
  for (const metric of ['load', 'feed'] as const) {
    const label = metric === 'load' ? 'load event' : 'feed on screen';
    const cells = MODES.map((m) => {
      const ms = median(times[m][metric]).toFixed(1);
      if (m === 'off') return `untraced ${ms.padStart(7)} ms`;
      const paired = times[m][metric].map((v, k) => ((v - times.off[metric][k]!) / times.off[metric][k]!) * 100);
      return `${m} ${ms.padStart(7)} ms ${pct(median(paired)).padStart(8)} [${pct(Math.min(...paired))}, ${pct(Math.max(...paired))}]`;
    });
    console.log(`  ${label.padEnd(15)} ${cells.join('   ')}`);
  }
}
console.log('\ntarget: ours adds at most 5 % to the load event and to the feed on screen, on both networks');
