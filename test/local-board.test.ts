// The week's questions with no account: the same traffic through the real collector reaches the
// Honeycomb fake and the collector's local files (local-files-on.yaml); each of the board's own
// queries then runs in the fake's Query Data API and, translated to SQL, on DuckDB over the
// files, and the two answers must agree. Then what a student can get wrong: no files yet, a
// file cut mid-line.
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boardLocal } from '../scripts/board-local.ts';
import { BOARD_QUERIES, type BoardQuery } from '../scripts/lib/honeycomb/board.ts';
import { answerBoard } from '../scripts/lib/local/board.ts';
import { openStore } from '../scripts/lib/local/store.ts';
import { silentTerm } from '../scripts/lib/terminal/term.ts';
import { startClouds, type Clouds } from '../testkit/clouds.ts';
import { startCollector, type Collector } from '../testkit/collector.ts';
import { KEYS } from '../testkit/honeycomb.ts';
import { waitFor } from '../testkit/http.ts';
import { weekTraffic } from '../testkit/week-traffic.ts';
import { launchChromium } from '../testkit/browser.ts';
import { askHoneycomb, differences } from '../testkit/board-agreement.ts';
import { REPO_ROOT } from '../scripts/lib/workspace/settings.ts';

/** Screenshots of the terminal board and the page (look at them; npm run screenshots copies them to docs/). */
const SHOTS = join(REPO_ROOT, 'test', 'screenshots');

const DATASETS = { backend: 'backend-flask', frontend: 'frontend-react-js', metrics: 'cruddur-metrics' };

interface Ctx {
  clouds: Clouds;
  collector: Collector;
  dir: string;
  end: number;
  expected: { spans: number; points: number };
}

const post = (url: string, body: object) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const t = suite<Ctx>('the local board: the board’s own queries on DuckDB over the collector’s files, and in Honeycomb, agree');
t.before(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'cruddur-local-board-'));
  ctx.clouds = await startClouds();
  // No host_metrics here: only the traffic's own metric points, so both engines hold the same.
  ctx.collector = await startCollector({ honeycomb: { url: ctx.clouds.honeycomb.url, key: KEYS.enterprise }, localFiles: ctx.dir, overlay: 'service: {pipelines: {metrics: {receivers: [otlp]}, metrics/local: {receivers: [otlp]}}}' });
  // Ending a minute before this one: the fake's query ranges end at the last whole minute.
  const minute = ctx.clouds.honeycomb.minuteMs;
  ctx.end = Math.floor(Date.now() / minute) * minute - 2 * minute;
  const traffic = weekTraffic({ endMs: ctx.end, hours: 6, everyMinutes: 15 });
  ctx.expected = traffic.counts;
  for (const r of traffic.traces) assert.is((await post(`${ctx.collector.url}/v1/traces`, r)).status, 200);
  for (const r of traffic.metrics) assert.is((await post(`${ctx.collector.url}/v1/metrics`, r)).status, 200);
  const inHoneycomb = () => [...ctx.clouds.honeycomb.datasets(KEYS.enterprise).values()].filter((d) => d.kind === 'events').reduce((n, d) => n + d.events.length, 0);
  await waitFor(() => (inHoneycomb() >= traffic.counts.spans ? true : undefined), 15_000, 'every span in Honeycomb');
  await waitFor(async () => {
    const store = await openStore(ctx.dir);
    try {
      return store.counts.spans >= traffic.counts.spans && store.counts.metrics >= traffic.counts.points ? true : undefined;
    } finally {
      store.close();
    }
  }, 15_000, 'every span and point in the local files');
});
t.after(async (ctx) => {
  await ctx.collector?.close();
  await ctx.clouds?.close();
});

for (const q of BOARD_QUERIES) {
  t(`${q.name}: the same answer locally as in Honeycomb`, async (ctx) => {
    const store = await openStore(ctx.dir);
    try {
      const [local] = await answerBoard(store, DATASETS, { now: new Date(ctx.end + ctx.clouds.honeycomb.minuteMs), queries: [q] });
      const remote = (await askHoneycomb(ctx.clouds.honeycomb.url, KEYS.enterprise, DATASETS[q.service], q.spec, ctx.clouds.honeycomb.minuteMs)).rows;
      assert.ok(remote.length > 0 && remote.some((r) => local!.labels.some((l) => Number(r[l]) > 0)), `the traffic answers this question: ${JSON.stringify(remote)}`);
      assert.equal(differences(q, local!, remote), []);
    } finally {
      store.close();
    }
  });
}

t('the terminal shows every question: the heatmap in characters, P90 per route sorted, memory as a sparkline', async (ctx) => {
  const term = silentTerm();
  const code = await boardLocal(['--dir', ctx.dir], { term, now: new Date(ctx.end + 60_000) });
  const out = term.lines.join('\n');
  assert.is(code, 0, out);
  assert.match(out, new RegExp(`from .*: ${ctx.expected.spans} spans, ${ctx.expected.points} metric points`));
  for (const q of BOARD_QUERIES) assert.ok(out.includes(`■ ${q.name}`), q.name);
  assert.not.match(out, /no data yet/, 'the traffic answers every question');
  assert.match(out, /│[ .:\-=+*#%@]{48}\n/, 'a heatmap row');
  const p90 = out.split('■ P90 latency per route')[1]!.split('■')[0]!;
  const values = [...p90.matchAll(/^ {2}\/api\S+\s+([\d.]+)$/gm)].map((m) => Number(m[1]));
  assert.ok(values.length >= 3 && values.every((v, i) => i === 0 || v <= values[i - 1]!), `slowest first: ${values}`);
  assert.match(out, /AVG\(system\.memory\.usage\) [\d.]+ G\n {2}[▁▂▃▄▅▆▇█ ]+\n/, 'memory in G, and its sparkline');
});

t('--html writes one page with the data and the plotting library inside: it draws every question offline, at a desktop’s width and a phone’s', async (ctx) => {
  const page = join(ctx.dir, 'board.html');
  const term = silentTerm();
  assert.is(await boardLocal(['--dir', ctx.dir, '--html', page], { term, now: new Date(ctx.end + 60_000) }), 0);
  const html = readFileSync(page, 'utf8');
  assert.not.match(html, /<script[^>]+src=|<link[^>]+href=/, 'nothing fetched from elsewhere');
  for (const q of BOARD_QUERIES) assert.ok(html.includes(JSON.stringify(q.name).slice(1, -1)), q.name);
  const browser = await launchChromium();
  try {
    mkdirSync(SHOTS, { recursive: true });
    for (const [name, width] of [['desktop', 1280], ['phone', 390]] as const) {
      const tab = await browser.newPage({ viewport: { width, height: 900 } });
      const requests: string[] = [];
      tab.on('request', (r) => requests.push(r.url()));
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(e.message));
      await tab.goto(`file://${page}`);
      assert.equal(errors, [], 'the page runs');
      assert.equal(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')), [], 'no request leaves the page');
      assert.is(await tab.locator('section').count(), BOARD_QUERIES.length);
      assert.is(await tab.locator('section svg').count() >= BOARD_QUERIES.length, true, 'a chart per question');
      assert.is(await tab.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scroll');
      const clipped = await tab.evaluate(() =>
        [...document.querySelectorAll('section svg [aria-label="y-axis tick label"] text')]
          .filter((t) => t.getBoundingClientRect().left < (t as SVGTextElement).ownerSVGElement!.getBoundingClientRect().left - 1)
          .map((t) => t.textContent),
      );
      assert.equal(clipped, [], `no label cut at the chart's edge (${name})`);
      await tab.screenshot({ path: join(SHOTS, `board-page-${name}.png`), fullPage: name === 'phone' ? false : true });
      await tab.close();
    }
    // The terminal's board, as a student's terminal shows it.
    const shown = await browser.newPage({ viewport: { width: 900, height: 900 } });
    const text = term.lines.join('\n').replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
    await shown.setContent(`<body style="margin:0;background:#0f1117"><pre style="margin:0;padding:16px;color:#e8e6ef;font:13px/1.3 'DejaVu Sans Mono',monospace">${text}</pre></body>`);
    await shown.screenshot({ path: join(SHOTS, 'board-terminal.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});

t('--html with no file: the page beside the folder, wherever --html comes among the options', async (ctx) => {
  const parent = mkdtempSync(join(tmpdir(), 'cruddur-html-'));
  const dir = join(parent, 'telemetry');
  mkdirSync(dir);
  copyFileSync(join(ctx.dir, 'traces.jsonl'), join(dir, 'traces.jsonl'));
  for (const args of [['--dir', dir, '--html'], ['--html', '--dir', dir]]) {
    rmSync(join(parent, 'board.html'), { force: true });
    const term = silentTerm();
    assert.is(await boardLocal(args, { term, now: new Date(ctx.end + 60_000) }), 0, term.lines.join('\n'));
    assert.ok(readFileSync(join(parent, 'board.html'), 'utf8').includes('<html'), args.join(' '));
  }
});

t('no files yet: one line saying where they come from; a file cut mid-line: named, and answered from the rest; a signal with no file: empty answers', async (ctx) => {
  const empty = mkdtempSync(join(tmpdir(), 'cruddur-no-telemetry-'));
  const none = silentTerm();
  assert.is(await boardLocal(['--dir', empty], { term: none }), 1);
  assert.match(none.lines.join('\n'), /no telemetry in .* yet: the collector keeps it there once the stack runs with CRUDDUR_LOCAL_FILES=on \(npm run up saves that in \.env/);
  const cut = mkdtempSync(join(tmpdir(), 'cruddur-cut-telemetry-'));
  copyFileSync(join(ctx.dir, 'traces.jsonl'), join(cut, 'traces.jsonl'));
  appendFileSync(join(cut, 'traces.jsonl'), '{"resourceSpans":[{"resource":{"attrib');
  // No metrics file at all (the host's metrics not sent yet): the metrics questions answer nothing.
  const term = silentTerm();
  const code = await boardLocal(['--dir', cut], { term, now: new Date(ctx.end + 60_000) });
  const out = term.lines.join('\n');
  assert.is(code, 0, out);
  assert.match(out, /traces\.jsonl ends in a line cut short \(copied or cut mid-write\): read without it/);
  assert.match(out, new RegExp(`: ${ctx.expected.spans} spans, 0 metric points`));
  assert.not.match(out, /\n\s+at .*\.ts:\d+/, 'no stack trace');
});

t('a rotation (the file renamed to a backup) keeps its copy; a file that grew is read again, alone', async (ctx) => {
  const dir = mkdtempSync(join(tmpdir(), 'cruddur-rotation-'));
  copyFileSync(join(ctx.dir, 'traces.jsonl'), join(dir, 'traces.jsonl'));
  const copies = () => readdirSync(join(dir, '.board')).sort();
  let store = await openStore(dir);
  const before = { copies: copies(), spans: store.counts.spans };
  store.close();
  // As timberjack rotates: rename, then a new file begun.
  renameSync(join(dir, 'traces.jsonl'), join(dir, 'traces-2026-12-06T10-00-00.000.jsonl'));
  const reads: number[] = [];
  store = await openStore(dir, { onRead: (_, total) => reads.push(total) });
  assert.equal(copies(), before.copies, 'the renamed file kept its copy');
  assert.equal(reads, [], 'nothing read again');
  assert.is(store.counts.spans, before.spans);
  store.close();
  const line = readFileSync(join(dir, 'traces-2026-12-06T10-00-00.000.jsonl'), 'utf8').split('\n')[0]!;
  writeFileSync(join(dir, 'traces.jsonl'), `${line}\n`);
  store = await openStore(dir, { onRead: (_, total) => reads.push(total) });
  assert.equal(reads, [1], 'the new file alone');
  assert.ok(store.counts.spans > before.spans);
  assert.is(copies().length, before.copies.length + 1);
  store.close();
});

t('a folder it cannot keep its copies in: what failed and what to do, no stack trace', async (ctx) => {
  const dir = mkdtempSync(join(tmpdir(), 'cruddur-unwritable-'));
  copyFileSync(join(ctx.dir, 'traces.jsonl'), join(dir, 'traces.jsonl'));
  writeFileSync(join(dir, '.board'), 'not a folder');
  const term = silentTerm();
  assert.is(await boardLocal(['--dir', dir], { term }), 1);
  const out = term.lines.join('\n');
  assert.match(out, /could not read .*: EEXIST/);
  assert.match(out, /what to do: check the room left \(df -h .*\); delete .*\.board to read every file again/);
  assert.not.match(out, /\n\s+at .*\.ts:\d+/, 'no stack trace');
});

t.run();
