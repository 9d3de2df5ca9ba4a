import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { honeycombBoard } from '../honeycomb-board.ts';
import { BOARD_NAME, BOARD_QUERIES, COLUMN_TYPES, MOCK_USER, queryColumns } from '../lib/honeycomb/board.ts';
import { silentTerm } from '../lib/terminal/term.ts';
import { KEYS, writeEvents } from '../../testkit/honeycomb.ts';
import { startClouds, type Clouds } from './world.ts';
import { runCheck } from './doctor/helpers.ts';
import { honeycombBoardCheck } from '../doctor/checks/honeycomb-board.ts';
import type { ServerResponse } from 'node:http';
import { answer, honeycombProxy } from '../../testkit/honeycomb-proxy.ts';

const t = suite<{ clouds: Clouds }>('npm run honeycomb:board');
t.before(async (ctx) => {
  ctx.clouds = await startClouds();
});
t.after(({ clouds }) => clouds.close());

const run = async (clouds: Clouds, key: string | undefined) => {
  const term = silentTerm();
  const code = await honeycombBoard([], { settings: clouds.settings({ HONEYCOMB_API_KEY: key }), term });
  return { code, out: term.lines.join('\n') };
};

const METRIC_QUESTIONS = BOARD_QUERIES.filter((q) => q.service === 'metrics').map((q) => q.name);

t('a new environment (no dataset, no column): the datasets and columns the queries name first, then every query that can exist, and the metric questions named as waiting for data', async ({ clouds }) => {
  const { code, out } = await run(clouds, KEYS.enterprise);
  assert.is(code, 0, out);
  const datasets = clouds.honeycomb.datasets(KEYS.enterprise);
  assert.equal([...datasets.keys()].sort(), ['backend-flask', 'frontend-react-js'], 'made by the Datasets API, the metrics dataset left to its data');
  for (const [slug, column, type] of [['backend-flask', 'duration_ms', 'float'], ['backend-flask', 'http.response.status_code', 'integer'], ['backend-flask', 'error', 'boolean'], ['frontend-react-js', 'web_vital.value', 'float'], ['frontend-react-js', 'page.visible_ms', 'integer']] as const) {
    assert.is(datasets.get(slug)!.columns.get(column)?.type, type, `${slug}.${column}`);
  }
  assert.match(out, /made first, for the queries to name: dataset backend-flask, column duration_ms in backend-flask, /);
  const store = clouds.honeycomb.config(KEYS.enterprise);
  const boards = [...store.boards.values()];
  assert.equal(boards.map((b) => b.name), [BOARD_NAME]);
  assert.is(boards[0]!.type, 'flexible');
  assert.is(boards[0]!.layout_generation, 'auto', 'Honeycomb lays the panels out');
  assert.match(boards[0]!.description, /^The week 2 questions of the Cruddur bootcamp, one query each\. Made by npm run honeycomb:board; run it again to restore them\.$/);
  assert.ok(boards[0]!.panels.every((p) => p.type === 'query'));
  // Every column the events datasets' questions name, made with the type its spans carry.
  for (const q of BOARD_QUERIES.filter((q) => q.service !== 'metrics')) {
    for (const column of queryColumns(q.spec)) assert.is(datasets.get(q.service === 'backend' ? 'backend-flask' : 'frontend-react-js')!.columns.get(column)?.type, COLUMN_TYPES[column], `${q.name}: ${column}`);
  }
  const waiting = BOARD_QUERIES.length - METRIC_QUESTIONS.length;
  assert.is(boards[0]!.panels.length, waiting);
  const annotations = [...store.annotations.values()];
  assert.equal(annotations.map((a) => a.name).sort(), BOARD_QUERIES.filter((q) => q.service !== 'metrics').map((q) => q.name).sort());
  assert.ok(annotations.every((a) => a.description.length > 20));
  assert.match(out, new RegExp(`created board "${BOARD_NAME}" with ${waiting} of ${BOARD_QUERIES.length} queries in environment bootcamp`));
  assert.match(out, /https:\/\/ui\.honeycomb\.io\/cruddur-bootcamp\/environments\/bootcamp\/board\/\S+/);
  for (const name of METRIC_QUESTIONS) {
    assert.ok(out.includes(`! not on it yet: ${name}: no dataset cruddur-metrics yet: the collector sends the host’s metrics every 30 s once the stack runs with the key (npm run up), then run npm run honeycomb:board again`), `${name}\n${out}`);
  }
});

t('once the metrics arrive, running it again adds their questions and keeps every unchanged query and annotation', async ({ clouds }) => {
  const store = clouds.honeycomb.config(KEYS.enterprise);
  const before = { board: [...store.boards.keys()], annotations: new Map([...store.annotations.values()].map((a) => [a.id, a.query_id])) };
  const metrics = clouds.honeycomb.addDataset(KEYS.enterprise, 'cruddur-metrics', null, 'metrics');
  const now = Date.now();
  writeEvents(metrics, [
    { signal: 'metric', startMs: now, resource: { 'service.name': 'otelcol' }, attributes: { 'service.name': 'otelcol', state: 'used', 'system.memory.usage': 1_000_000 } },
    { signal: 'metric', startMs: now, resource: { 'service.name': 'backend-flask' }, attributes: { 'service.name': 'backend-flask', 'process.memory.usage': 50_000_000, 'v8js.memory.heap.used': 9_000_000, 'nodejs.eventloop.delay.p99': 0.012 } },
  ]);
  const { code, out } = await run(clouds, KEYS.enterprise);
  assert.is(code, 0, out);
  assert.match(out, new RegExp(`updated board "${BOARD_NAME}" with ${BOARD_QUERIES.length} of ${BOARD_QUERIES.length} queries`));
  assert.not.match(out, /not on it yet/);
  assert.equal([...store.boards.keys()], before.board);
  for (const [id, queryId] of before.annotations) assert.is(store.annotations.get(id)?.query_id, queryId, 'an unchanged question keeps its annotation and its query');
  assert.is(store.annotations.size, BOARD_QUERIES.length, 'one annotation per question, none twice');
  const panels = store.boards.get(before.board[0]!)!.panels.map((p) => p.query_panel!);
  assert.ok(panels.every((p) => store.annotations.get(p.query_annotation_id!)?.query_id === p.query_id), 'each panel names an annotation of its own query');
});

t('a question whose query changed since the last run: a new query and annotation on the board, the old annotation gone, none rewritten to another query', async ({ clouds }) => {
  const store = clouds.honeycomb.config(KEYS.enterprise);
  const [old] = [...store.annotations.values()].filter((a) => a.name === BOARD_QUERIES[1]!.name);
  // What an older version of the board saved for this question: another spec.
  const stale = { id: 'older-spec1', dataset: old!.dataset, spec: { ...BOARD_QUERIES[1]!.spec, time_range: 3600 } };
  store.queries.set(stale.id, stale);
  store.annotations.set(old!.id, { ...old!, query_id: stale.id });
  const { code, out } = await run(clouds, KEYS.enterprise);
  assert.is(code, 0, out);
  assert.not.ok(store.annotations.has(old!.id), 'the old annotation is deleted once the board no longer shows it');
  const [fresh] = [...store.annotations.values()].filter((a) => a.name === BOARD_QUERIES[1]!.name);
  assert.ok(fresh && fresh.query_id !== stale.id);
  assert.equal(store.queries.get(fresh!.query_id)!.spec, BOARD_QUERIES[1]!.spec);
  const board = [...store.boards.values()][0]!;
  assert.ok(board.panels.some((p) => p.query_panel!.query_annotation_id === fresh!.id && p.query_panel!.query_id === fresh!.query_id));
  assert.is(store.annotations.size, BOARD_QUERIES.length);
});

t('an ingest key gets the queries as links, and is told what key would make the board', async ({ clouds }) => {
  const { code, out } = await run(clouds, KEYS.ingest);
  assert.is(code, 0);
  assert.match(out, /This is an ingest key: it sends data but cannot save queries or boards/);
  assert.is((out.match(/https:\/\/ui\.honeycomb\.io\/cruddur-bootcamp\/environments\/bootcamp\/datasets\/[^?]+\?query=/g) ?? []).length, BOARD_QUERIES.length);
  assert.match(out, /a configuration key for environment "bootcamp" with "Manage Queries and Columns" and "Manage Public Boards"/);
  assert.not.match(out, new RegExp(KEYS.ingest), 'the key is never printed');
});

t('a configuration key without "Manage Public Boards" is told exactly that, and gets the links', async ({ clouds }) => {
  const calls = clouds.honeycomb.calls.length;
  const { code, out } = await run(clouds, KEYS.config);
  assert.is(code, 1);
  assert.match(out, /This configuration key lacks the permission "Manage Public Boards"/);
  assert.equal(clouds.honeycomb.calls.slice(calls), ['GET /1/auth'], 'nothing is saved half-way');
});

t('each question asks what its name and description say: the calculation, the spans it is over, what it is broken down and sorted by', () => {
  type Spec = (typeof BOARD_QUERIES)[number]['spec'];
  const calc = (spec: Spec) => spec.calculations.map((c) => `${c.op}(${c.column ?? ''})`);
  const where = (spec: Spec) => (spec.filters ?? []).map((f) => `${f.column}${f.op}${String(f.value)}`);
  const server = 'span.kind=server';
  // [name, its calculations, filters among its own, breakdowns, order], each from the words of the question.
  const questions: [string, string[], string[], string[], string[]][] = [
    ['Backend latency heatmap', ['HEATMAP(duration_ms)'], [server], [], []],
    ['P90 latency per route', ['P90(duration_ms)'], [server], ['http.route'], ['P90(duration_ms) descending']],
    ['Server errors per route', ['COUNT()'], [server, 'error=true'], ['http.route', 'http.response.status_code'], []],
    ['Page load (LCP) P95 per route', ['P95(web_vital.value)'], ['web_vital.name=LCP'], ['page.route'], []],
    ['Page load (LCP): synthetic runs against real users', ['P75(web_vital.value)', 'COUNT()'], ['web_vital.name=LCP'], ['app.traffic'], []],
    ['JavaScript errors by browser and version', ['COUNT()'], ['name=js-error', 'error=true'], ['browser.name', 'browser.version', 'exception.type'], []],
    ['Most-used actions', ['COUNT()'], ['name=click'], ['app.action'], ['COUNT() descending']],
    ['How long pages stay open', ['P50(page.visible_ms)', 'P90(page.visible_ms)'], ['name=page view'], ['page.route'], []],
    ['Host memory in use', ['AVG(system.memory.usage)'], ['state=used'], [], []],
    ['Backend memory (RSS)', ['AVG(process.memory.usage)', 'MAX(v8js.memory.heap.used)'], ['service.name=backend-flask'], [], []],
    ['Backend event-loop delay (P99)', ['MAX(nodejs.eventloop.delay.p99)'], ['service.name=backend-flask'], [], []],
    [`One user’s experience (${MOCK_USER})`, ['COUNT()', 'P90(duration_ms)'], [`app.user_handle=${MOCK_USER}`], ['name'], []],
  ];
  assert.equal(BOARD_QUERIES.map((q) => q.name), questions.map((q) => q[0]), 'every question, once, in the board’s order');
  for (const [name, calcs, filters, breakdowns, orders] of questions) {
    const q = BOARD_QUERIES.find((x) => x.name === name)!;
    assert.equal([calc(q.spec), where(q.spec), q.spec.breakdowns ?? [], (q.spec.orders ?? []).map((o) => `${o.op}(${o.column ?? ''}) ${o.order}`)], [calcs, filters, breakdowns, orders], name);
    assert.is(q.spec.time_range, 86_400, `${name}: the last day`);
    assert.ok(q.description.length > 40 && !q.description.includes('Stryker'), `${name}: a description a student can read`);
  }
});

t('no key: one line saying how to set it', async ({ clouds }) => {
  const term = silentTerm();
  const code = await honeycombBoard([], { settings: clouds.settings({ HONEYCOMB_API_KEY: '' }), term });
  assert.is(code, 1);
  assert.match(term.lines.join('\n'), /HONEYCOMB_API_KEY is not set: save it with npm run setup/);
});

t.run();

const doctorSuite = suite<{ clouds: Clouds }>('doctor: honeycomb.board');
doctorSuite.before(async (ctx) => {
  ctx.clouds = await startClouds();
});
doctorSuite.after(({ clouds }) => clouds.close());

doctorSuite('missing: a warning naming npm run honeycomb:board; made: a pass with its link; an ingest key: skipped, saying why', async ({ clouds }) => {
  let r = await runCheck(honeycombBoardCheck, clouds.settings());
  assert.is(r.status, 'warn');
  assert.match(r.detail, new RegExp(`no board "${BOARD_NAME}" in environment "bootcamp" yet`));
  assert.match(r.fix!, /npm run honeycomb:board makes it/);
  await honeycombBoard([], { settings: clouds.settings(), term: silentTerm() });
  r = await runCheck(honeycombBoardCheck, clouds.settings());
  assert.is(r.status, 'pass');
  assert.match(r.links!.board!, /\/environments\/bootcamp\/board\//);
  r = await runCheck(honeycombBoardCheck, clouds.settings({ HONEYCOMB_API_KEY: KEYS.ingest }));
  assert.is(r.status, 'skip');
  assert.match(r.detail, /an ingest key cannot see boards; npm run honeycomb:board prints the week's queries as links/);
});


/** The fake with GET /1/boards answered by `boards` instead. */
const boardsProxy = (upstream: string, boards: (res: ServerResponse) => unknown) => honeycombProxy(upstream, (req, res) => req.url === '/1/boards' && (boards(res), true));

doctorSuite('boards that cannot be read: a warning with Honeycomb’s words (the check is optional), or the network’s', async ({ clouds }) => {
  assert.is(honeycombBoardCheck.required, false);
  const down = await boardsProxy(clouds.honeycomb.url, (res) => answer(res, 503, { error: 'service unavailable' }));
  let r = await runCheck(honeycombBoardCheck, clouds.settings({ HONEYCOMB_API_ENDPOINT: down.url }));
  assert.equal([r.status, r.detail], ['warn', 'Honeycomb answered 503 ("service unavailable"): a problem on its side']);
  assert.match(r.fix!, /^try again in a few minutes/);
  await down.close();
  const cut = await boardsProxy(clouds.honeycomb.url, (res) => res.socket!.destroy());
  r = await runCheck(honeycombBoardCheck, clouds.settings({ HONEYCOMB_API_ENDPOINT: cut.url }));
  assert.is(r.status, 'warn');
  assert.match(r.detail, /^the Honeycomb API closed the connection \(127\.0\.0\.1:\d+\)$/);
  assert.is(r.fix, 'try again; if it persists, check a proxy or firewall between here and it');
  await cut.close();
  // An answer that is not a list of boards: the error as it came, and to run again.
  const odd = await boardsProxy(clouds.honeycomb.url, (res) => answer(res, 200, {}));
  r = await runCheck(honeycombBoardCheck, clouds.settings({ HONEYCOMB_API_ENDPOINT: odd.url }));
  assert.equal([r.status, r.fix], ['warn', 'run again']);
  assert.match(r.detail, /find is not a function/);
  await odd.close();
  // A board without links (the API documents links.board_url; an answer without it is still a board).
  const bare = await boardsProxy(clouds.honeycomb.url, (res) => answer(res, 200, [{ id: 'b1', name: BOARD_NAME }]));
  r = await runCheck(honeycombBoardCheck, clouds.settings({ HONEYCOMB_API_ENDPOINT: bare.url }));
  assert.equal([r.status, r.detail, r.links], ['pass', `board "${BOARD_NAME}" exists`, undefined]);
  await bare.close();
});

doctorSuite('a key without the board’s permissions: skipped, naming them', async ({ clouds }) => {
  const r = await runCheck(honeycombBoardCheck, clouds.settings({ HONEYCOMB_API_KEY: KEYS.config }));
  assert.is(r.status, 'skip');
  assert.is(r.detail, 'a key without "Manage Public Boards" cannot make the board; npm run honeycomb:board prints the week\'s queries as links');
});

doctorSuite.run();
