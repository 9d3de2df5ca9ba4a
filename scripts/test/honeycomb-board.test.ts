import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { honeycombBoard } from '../honeycomb-board.ts';
import { BOARD_NAME, BOARD_QUERIES } from '../lib/honeycomb/board.ts';
import { silentTerm } from '../lib/terminal/term.ts';
import { KEYS } from '../../testkit/honeycomb.ts';
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

t('a configuration key with the permissions makes the board: every query saved, named and described, on it', async ({ clouds }) => {
  const { code, out } = await run(clouds, KEYS.enterprise);
  assert.is(code, 0, out);
  const store = clouds.honeycomb.config(KEYS.enterprise);
  const boards = [...store.boards.values()];
  assert.equal(boards.map((b) => b.name), [BOARD_NAME]);
  assert.is(boards[0]!.type, 'flexible');
  assert.is(boards[0]!.panels.length, BOARD_QUERIES.length);
  const annotations = [...store.annotations.values()];
  assert.equal(annotations.map((a) => a.name).sort(), BOARD_QUERIES.map((q) => q.name).sort());
  assert.ok(annotations.every((a) => a.description.length > 20));
  // Each query lives in its service's dataset, the metric ones in the metrics dataset.
  assert.equal([...new Set(annotations.map((a) => a.dataset))].sort(), ['backend-flask', 'cruddur-metrics', 'frontend-react-js']);
  assert.match(out, new RegExp(`created board "${BOARD_NAME}" with ${BOARD_QUERIES.length} queries in environment bootcamp`));
  assert.match(out, /https:\/\/ui\.honeycomb\.io\/cruddur-bootcamp\/environments\/bootcamp\/board\/\S+/);
});

t('running it again updates the same board and annotations by name, adding none', async ({ clouds }) => {
  const store = clouds.honeycomb.config(KEYS.enterprise);
  const before = { board: [...store.boards.keys()], annotations: [...store.annotations.keys()].sort() };
  const { code, out } = await run(clouds, KEYS.enterprise);
  assert.is(code, 0, out);
  assert.match(out, /updated board/);
  assert.equal([...store.boards.keys()], before.board);
  assert.equal([...store.annotations.keys()].sort(), before.annotations);
  const panelQueries = new Set(store.boards.get(before.board[0]!)!.panels.map((p) => p.query_panel!.query_id));
  assert.ok([...store.annotations.values()].every((a) => panelQueries.has(a.query_id)), 'the annotations point at the queries on the board');
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
