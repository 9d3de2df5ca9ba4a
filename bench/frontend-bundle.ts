// bench/frontend-bundle: what browser tracing costs the page.
//   1. the production bundle's gzip size (all JS and CSS) with and without tracing
//   2. load time in headless Chromium with and without, on one origin (no preflight): the load
//      event, and the feed on screen
//   npm run bench:frontend -- [--runs 15]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBackend } from '../testkit/backend.ts';
import { launchChromium } from '../testkit/browser.ts';
import { buildFrontend, gzipSize, TRACING_BUDGET_BYTES } from '../testkit/frontend.ts';
import { startOtlpReceiver } from '../testkit/otlp-receiver.ts';
import { serveStatic } from '../testkit/static-server.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Number(values.runs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// One origin each, as in the workspace: the page's server proxies /api (and /v1/traces) to
// the backend (and the collector), so no request is cross-origin and none is preflighted.
const dirs = { off: mkdtempSync(join(tmpdir(), 'bench-off-')), on: mkdtempSync(join(tmpdir(), 'bench-on-')) };
const collector = await startOtlpReceiver();
const backend = await startBackend({ traced: false });
const served = {
  off: await serveStatic(dirs.off, { '/api/': backend.url }),
  on: await serveStatic(dirs.on, { '/api/': backend.url, '/v1/traces': collector.url }),
};
await buildFrontend({ VITE_TRACING: 'off' }, dirs.off);
await buildFrontend({}, dirs.on);

const size = { off: gzipSize(dirs.off), on: gzipSize(dirs.on) };
const browser = await launchChromium();
// A student's browser reaches the workspace over the internet: also measure with a typical
// connection emulated (Chromium's own throttling, over CDP).
const NETWORKS = { localhost: undefined, '50 ms RTT, 20 Mbit/s': { offline: false, latency: 50, downloadThroughput: 2_500_000, uploadThroughput: 1_000_000 } };
type Times = Record<'off' | 'on', { load: number[]; feed: number[] }>;
const results: Record<string, Times> = {};
for (const [network, conditions] of Object.entries(NETWORKS)) {
const times: Times = { off: { load: [], feed: [] }, on: { load: [], feed: [] } };
results[network] = times;
for (let i = 0; i < runs + 1; i++) {
  // ABBA order: whichever goes second in a round gets warmer caches, so alternate.
  for (const mode of i % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
    const page = await (await browser.newContext()).newPage();
    if (conditions) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', conditions);
    }
    await page.goto(served[mode].url);
    await page.getByTestId('activity').first().waitFor();
    const feed = (await page.evaluate('performance.now()')) as number;
    const load = (await page.evaluate("(() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; })()")) as number;
    await page.context().close();
    if (i === 0) continue; // the first round warms caches and the JIT
    times[mode].load.push(load);
    times[mode].feed.push(feed);
  }
}
}
await browser.close();
await backend.stop();
await Promise.all([served.off.close(), served.on.close(), collector.close()]);

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const pct = (on: number, off: number) => `${(((on - off) / off) * 100).toFixed(1)} %`;
console.log(`bundle (JS + CSS, gzip)   without ${kb(size.off)}   with ${kb(size.on)}   tracing adds ${kb(size.on - size.off)}   target < ${kb(TRACING_BUDGET_BYTES)}`);
for (const [network, times] of Object.entries(results)) {
  console.log(`\n${network}, median of ${runs}:`);
  for (const metric of ['load', 'feed'] as const) {
    const off = median(times.off[metric]);
    const on = median(times.on[metric]);
    const label = metric === 'load' ? 'load event' : 'feed on screen';
    console.log(`  ${label.padEnd(16)} without ${off.toFixed(1).padStart(7)} ms   with ${on.toFixed(1).padStart(7)} ms   tracing adds ${pct(on, off)}`);
  }
}
console.log('target: tracing adds at most 5 % to the load event and to the feed on screen');
