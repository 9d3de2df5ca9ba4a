// npm run synthetic against the front end as compose runs it (Vite's dev server, its /api and
// /v1/traces proxies), the real backend and the real collector, in Debian's Chromium.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { SyntheticRun } from '../lib/browser/synthetic-runs.ts';
import { silentTerm, type Term } from '../lib/terminal/term.ts';
import { loadSettings } from '../lib/workspace/settings.ts';
import { parseEvery, synthetic } from '../synthetic.ts';
import { startBackend, type Backend } from '../../testkit/backend.ts';
import { startDevServer } from '../../testkit/frontend.ts';
import { closedPort } from '../../testkit/http.ts';
import { setUp } from '../../testkit/suite-setup.ts';
import { startTracePipeline, type TracePipeline } from '../../testkit/trace-pipeline.ts';

interface Ctx {
  collector: TracePipeline;
  backend: Backend;
  dev: { url: string; stop: () => Promise<void> };
  setupError?: Error;
}

const SERVER = 2;
const t = suite<Ctx>('npm run synthetic');

setUp(
  t,
  async (ctx) => {
    ctx.collector = await startTracePipeline();
    ctx.backend = await startBackend({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: ctx.collector.url } });
    ctx.dev = await startDevServer({ API_PROXY_TARGET: ctx.backend.url, OTEL_PROXY_TARGET: ctx.collector.url });
  },
  async (ctx) => {
    await ctx.dev?.stop();
    await ctx.backend?.stop();
    await ctx.collector?.close();
  },
);

const settingsFor = (url: string, env: Record<string, string> = {}) => loadSettings({ FRONTEND_SERVER_URL: url, ...env }, {});
const runsFile = (runs: SyntheticRun[] = []) => {
  const file = join(mkdtempSync(join(tmpdir(), 'cruddur-synthetic-')), 'runs.jsonl');
  writeFileSync(file, runs.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return file;
};
const kept = (file: string) => readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as SyntheticRun);
const earlierRun = (origin: string, feedMs: number): SyntheticRun => ({ at: '2026-12-06T09:00:00.000Z', session: 'synthetic-yesterday', origin, ok: true, feedMs, loadMs: 200, lcpMs: 300, journeyMs: 3000, steps: [], spans: { posted: 4, taken: 4 } });

t('two runs, a second apart: each measured and set beside the earlier ones; kept; the page’s and the backend’s spans tagged synthetic', async (ctx) => {
  const origin = new URL(ctx.dev.url).origin;
  const file = runsFile([earlierRun(origin, 1), earlierRun(origin, 1), earlierRun('http://elsewhere:3000', 1)]);
  const term = silentTerm();
  const code = await synthetic(['--every', '1s', '--runs', '2'], { settings: settingsFor(ctx.dev.url), term, runsFile: file });
  const out = term.lines.join('\n');
  assert.is(code, 0, out);
  const runs = kept(file).slice(3);
  assert.is(runs.length, 2, out);
  const session = runs[0]!.session;
  assert.match(session, /^synthetic-[0-9a-z]+-[0-9a-f]{6}$/);
  for (const r of runs) {
    assert.is(r.session, session, 'one session for the command');
    assert.ok(r.ok && !r.problem, JSON.stringify(r));
    assert.equal(r.steps.map((s) => s.name), ['home feed', 'a user’s page', 'post a crud', 'reply', 'messages']);
    assert.ok(r.feedMs! > 0 && r.loadMs! > 0 && r.lcpMs! > 0 && r.journeyMs! >= r.feedMs!, JSON.stringify(r));
    assert.ok(r.spans.posted > 0 && r.spans.taken === r.spans.posted, JSON.stringify(r.spans));
  }
  // The table: the header, the two earlier runs of this front end (not the other's), then each new run.
  assert.match(out, /^run\s+feed\s+load\s+LCP\s+journey\s+span posts\s*$/m);
  assert.is(out.match(/^\d\d:\d\d:\d\d .*✔$/gm)?.length, 4, out);
  assert.match(out, /home feed [\d.]+ m?s · a user’s page [\d.]+ m?s · post a crud/);
  // Against two earlier runs of 1 ms, the first feed is far slower; the second run counts the first.
  assert.match(out, /against the median of the last 2 runs: feed \+\d+ %/);
  assert.match(out, /against the median of the last 3 runs: feed /);
  assert.match(out, new RegExp(`2 runs, none failed; kept in .*runs\\.jsonl\\n.*WHERE app\\.synthetic_session = ${session}`));
  // Every span the page made carries the session (its LCP too, which the board compares), and so do the backend's.
  const lcp = await ctx.collector.waitForSpans((s) => s.name === 'web-vital LCP' && s.resource['app.synthetic_session'] === session, 1, 10_000);
  assert.is(lcp[0]!.resource['app.traffic'], 'synthetic');
  const crud = await ctx.collector.waitForSpans((s) => s.kind === SERVER && s.attributes['http.route'] === '/api/activities' && s.attributes['app.synthetic_session'] === session, 2, 10_000);
  assert.is(crud.length, 2, 'one crud a run, each the backend’s, tagged through the baggage');
  assert.not.ok(ctx.collector.spans.some((s) => s.resource['app.synthetic_session'] === session && s.resource['app.traffic'] !== 'synthetic'));
});

t('the front end down: each run fails saying how to start it, is kept, and --json prints only the runs; the address’s password shown nowhere', async () => {
  const port = await closedPort();
  const file = runsFile();
  const term = silentTerm();
  const settings = settingsFor(`http://student:pw42@127.0.0.1:${port}`, { HONEYCOMB_API_KEY: 'hcaik_01jsyntheticsecret000000000000000000000000000000000' });
  const code = await synthetic(['--every', '1s', '--runs', '2', '--json'], { settings, term, runsFile: file });
  assert.is(code, 1);
  assert.is(term.lines.length, 2, term.lines.join('\n'));
  const printed = term.lines.map((l) => JSON.parse(l) as SyntheticRun);
  for (const r of printed) {
    assert.is(r.ok, false);
    assert.is(r.problem, `the front end is not running at http://student:***@127.0.0.1:${port}: npm run up starts the stack, and the journey walks it`);
  }
  assert.equal(kept(file), printed);
  assert.not.ok(readFileSync(file, 'utf8').includes('pw42'));
});

t('no browser: one line saying how to get one; nothing run, nothing kept', async (ctx) => {
  const file = runsFile();
  const term = silentTerm();
  assert.is(await synthetic([], { settings: settingsFor(ctx.dev.url, { CHROMIUM_PATH: '/nowhere/chromium' }), term, runsFile: file }), 1);
  assert.equal(term.lines, [
    'no browser to walk the journey in: CHROMIUM_PATH=/nowhere/chromium does not exist',
    '  what to do: sudo apt-get install -y chromium (Ubuntu: chromium-browser), or set CHROMIUM_PATH to a Chrome or Chromium',
  ]);
  assert.is(readFileSync(file, 'utf8'), '');
});

t('Ctrl-C while waiting for the next run: stops at once with the summary; during a run: that run is not kept', async (ctx) => {
  const file = runsFile();
  const stop = new AbortController();
  const term = silentTerm();
  // Stop once the first run is printed: the next one is an hour away.
  const watching: Term = { ...term, out: (line = '') => (term.out(line), /✔|✘/.test(line) && stop.abort()) };
  const started = Date.now();
  assert.is(await synthetic(['--every', '1h'], { settings: settingsFor(ctx.dev.url), term: watching, runsFile: file, signal: stop.signal }), 0, term.lines.join('\n'));
  assert.ok(Date.now() - started < 60_000);
  assert.is(kept(file).length, 1);
  assert.match(term.lines.join('\n'), /1 run, none failed/);

  const during = new AbortController();
  const term2 = silentTerm();
  const aborting: Term = { ...term2, progress: (line) => void (/walking/.test(line) && setTimeout(() => during.abort(), 1500)) };
  assert.is(await synthetic(['--every', '1h'], { settings: settingsFor(ctx.dev.url), term: aborting, runsFile: file, signal: during.signal }), 0, term2.lines.join('\n'));
  assert.is(kept(file).length, 1, 'the run cut short is not kept');
  assert.match(term2.lines.join('\n'), /stopped during a run: that run is not kept\n0 runs, none failed/);
});

t('bad options: what is wrong, and nothing run', async () => {
  for (const [args, message] of [
    [['--every', '5'], '--every takes a time like 30s, 5m or 1h (at least 1s); got "5"'],
    [['--every', '0.5s'], '--every takes a time like 30s, 5m or 1h (at least 1s); got "0.5s"'],
    [['--runs', '0'], '--runs takes a whole number of runs, 1 or more; got "0"'],
    [['--runs', 'two'], '--runs takes a whole number of runs, 1 or more; got "two"'],
    [['--evry', '5m'], "Unknown option '--evry' (see --help)"],
  ] as const) {
    const term = silentTerm();
    assert.is(await synthetic([...args], { settings: settingsFor('http://127.0.0.1:9'), term, runsFile: runsFile() }), 1);
    assert.equal(term.lines, [message], args.join(' '));
  }
  assert.equal([parseEvery('30s'), parseEvery('5m'), parseEvery('1.5h')], [30_000, 300_000, 5_400_000]);
});

t.run();
