// Each Honeycomb permission the project needs, by the name Honeycomb's key settings show: a
// configuration key lacking it is told exactly that one; a key with exactly the ones needed
// succeeds. Permissions per endpoint: docs.honeycomb.io/api/permissions.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { honeycombBoard } from '../../../honeycomb-board.ts';
import { honeycombDatasetCheck } from '../../../doctor/checks/honeycomb-dataset.ts';
import { silentTerm } from '../../../lib/terminal/term.ts';
import { BOARD_QUERIES } from '../../../lib/honeycomb/board.ts';
import { smoke } from '../../../smoke/main.ts';
import { startHoneycombFake, type FakeKey, type HoneycombFake } from '../../../../testkit/honeycomb.ts';
import { runCheck } from '../../doctor/helpers.ts';
import { BOOTCAMP, startClouds, startWorld, TEAM, type World } from '../../world.ts';

type Access = NonNullable<FakeKey['access']>;
const NONE: Access = { events: false, createDatasets: false, columns: false, queries: false, boards: false, markers: false };
const key = (id: string) => `hcxlk_${id.padEnd(26, '0')}`;
const configKey = (access: Access, enterprise = false): FakeKey => ({ team: TEAM, environment: BOOTCAMP, type: 'configuration', enterprise, access: { ...NONE, ...access } });

/** A Honeycomb with one key per case, and an environment whose datasets exist (or not). */
async function honeycombWith(keys: Record<string, FakeKey>, existing: string[] = []): Promise<HoneycombFake> {
  const h = await startHoneycombFake({ keys, minuteMs: 1000 });
  for (const k of Object.keys(keys)) for (const d of existing) h.addDataset(k, d, new Date().toISOString());
  return h;
}

const board = suite('npm run honeycomb:board: "Manage Queries and Columns" and "Manage Public Boards"');

board('a key lacking either is told that one, by name; the key with exactly both makes the board', async () => {
  const keys = {
    [key('noqueries')]: configKey({ boards: true, queries: true }),
    [key('noboards')]: configKey({ columns: true }),
    [key('exactly')]: configKey({ columns: true, boards: true }),
  };
  const h = await honeycombWith(keys);
  const clouds = await startClouds();
  try {
    const run = async (k: string) => {
      const term = silentTerm();
      const code = await honeycombBoard([], { settings: clouds.settings({ HONEYCOMB_API_KEY: k, HONEYCOMB_API_ENDPOINT: h.url }), term });
      return { code, out: term.lines.join('\n') };
    };
    // "Run Queries" is not "Manage Queries and Columns": this key may run queries, not save them.
    const noQueries = await run(key('noqueries'));
    assert.is(noQueries.code, 1);
    assert.match(noQueries.out, /This configuration key lacks the permission "Manage Queries and Columns"\./);
    const noBoards = await run(key('noboards'));
    assert.is(noBoards.code, 1);
    assert.match(noBoards.out, /This configuration key lacks the permission "Manage Public Boards"\./);
    // In a new environment, a key that may not create datasets has nothing to put on a board yet.
    const early = await run(key('exactly'));
    assert.is(early.code, 0, early.out);
    assert.match(early.out, /! no board yet: none of the week's data has reached environment bootcamp, and this key may not make its datasets \("Create Datasets"\)/);
    assert.match(early.out, /! not on it yet: P90 latency per route: no dataset backend-flask yet: npm run smoke sends the backend’s spans, then run npm run honeycomb:board again/);
    assert.is(h.config(key('exactly')).boards.size, 0);
    // Once data has made the datasets, the same key makes the columns its queries name, and the board.
    for (const d of ['backend-flask', 'frontend-react-js']) h.addDataset(key('exactly'), d, new Date().toISOString());
    const exactly = await run(key('exactly'));
    assert.is(exactly.code, 0, exactly.out);
    // Every query but the metrics dataset's (no metrics have reached it).
    const ready = BOARD_QUERIES.filter((q) => q.service !== 'metrics').length;
    assert.match(exactly.out, new RegExp(`created board "Cruddur week 2" with ${ready} of ${BOARD_QUERIES.length} queries`));
    assert.is(h.config(key('exactly')).boards.size, 1);
  } finally {
    await Promise.all([h.close(), clouds.close()]);
  }
});

board.run();

const datasets = suite('the doctor: "Create Datasets"');

datasets('in a new environment, a key without it is told its datasets will never appear, by name; with it, they appear with the first span', async () => {
  const keys = {
    [key('nocreate')]: configKey({ events: true, columns: true }),
    [key('nocreatenocols')]: configKey({ events: true }),
    [key('create')]: configKey({ events: true, createDatasets: true }),
  };
  const h = await honeycombWith(keys);
  const clouds = await startClouds();
  try {
    const check = (k: string) => runCheck(honeycombDatasetCheck, clouds.settings({ HONEYCOMB_API_KEY: k, HONEYCOMB_API_ENDPOINT: h.url }));
    const missing = await check(key('nocreate'));
    assert.is(missing.status, 'fail');
    assert.match(missing.detail, /dataset "backend-flask" and "frontend-react-js" does not exist in environment "bootcamp", and this key lacks "Create Datasets"/);
    assert.match(missing.fix!, /enable "Create Datasets"/);
    const blind = await check(key('nocreatenocols'));
    assert.is(blind.status, 'warn');
    assert.match(blind.detail, /this key lacks "Create Datasets": Honeycomb creates backend-flask and frontend-react-js on their first span only for a key that has it/);
    const can = await check(key('create'));
    assert.is(can.status, 'warn');
    assert.match(can.detail, /no dataset "backend-flask" in environment "bootcamp" yet/);
  } finally {
    await Promise.all([h.close(), clouds.close()]);
  }
});

datasets('without it, datasets that already exist are fine, and the doctor says so', async () => {
  const keys = { [key('nocreate')]: configKey({ events: true, columns: true }) };
  const h = await honeycombWith(keys, ['backend-flask', 'frontend-react-js']);
  const clouds = await startClouds();
  try {
    const r = await runCheck(honeycombDatasetCheck, clouds.settings({ HONEYCOMB_API_KEY: key('nocreate'), HONEYCOMB_API_ENDPOINT: h.url }));
    assert.is(r.status, 'pass', r.detail);
    assert.match(r.detail, /exist in environment "bootcamp" \(the key cannot create new ones, and need not\)/);
  } finally {
    await Promise.all([h.close(), clouds.close()]);
  }
});

datasets.run();

const ingest = suite<{ world: World }>('the collector: "Create Datasets" for a new dataset, through the real collector');
ingest.before(async (ctx) => {
  ctx.world = await startWorld();
});
ingest.after(({ world }) => world.close());

ingest('a key without it writes nothing into a new environment, and the smoke names the dataset that is missing', async ({ world }) => {
  const keys = { [key('sendonly')]: configKey({ events: true, columns: true, queries: true }, true) };
  const h = await honeycombWith(keys);
  try {
    // The collector's key is the student's; here a collector of its own with this key.
    const { startCollector } = await import('../../../../testkit/collector.ts');
    const collector = await startCollector({ honeycomb: { url: h.url, key: key('sendonly') } });
    try {
      const term = silentTerm();
      const { report } = await smoke(['--hops', 'collector', '--timeout', '4'], {
        term,
        settings: world.settings({ HONEYCOMB_API_KEY: key('sendonly'), HONEYCOMB_API_ENDPOINT: h.url, OTEL_COLLECTOR_URL: collector.url, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }),
        overrides: { pollMs: 50, minuteMs: h.minuteMs },
      });
      const hop = report!.hops[0]!;
      assert.ok(hop.sent, 'the collector took the spans');
      assert.not.ok(hop.confirmed);
      assert.is(h.datasets(key('sendonly')).size, 0, 'no dataset was made');
      // The collector's own log says why: Honeycomb refused the write.
      assert.ok(collector.logs.some((l) => /otlp_http\/honeycomb/.test(l) && /401/.test(l)), collector.logs.slice(-5).join('\n'));
    } finally {
      await collector.close();
    }
  } finally {
    await h.close();
  }
});

ingest.run();

const queryData = suite<{ world: World }>('the smoke: "Manage Queries and Columns" with "Run Queries", or else "Create Datasets"');
queryData.before(async (ctx) => {
  ctx.world = await startWorld();
});
queryData.after(({ world }) => world.close());

queryData('each key is confirmed the way its permissions allow, and one with neither is told both', async ({ world }) => {
  const keys = {
    [key('query')]: configKey({ events: true, columns: true, queries: true }, true),
    [key('noruns')]: configKey({ events: true, columns: true, createDatasets: true }, true),
    [key('norunsnocreate')]: configKey({ events: true, columns: true }, true),
  };
  const h = await honeycombWith(keys, ['backend-flask']);
  try {
    const run = async (k: string) => {
      const term = silentTerm();
      const { report } = await smoke(['--hops', 'honeycomb', '--timeout', '5'], { term, settings: world.settings({ HONEYCOMB_API_KEY: k, HONEYCOMB_API_ENDPOINT: h.url }), overrides: { pollMs: 50, minuteMs: h.minuteMs } });
      return report!.hops[0]!;
    };
    const query = await run(key('query'));
    assert.ok(query.confirmed, query.error);
    assert.match(query.evidence!, /Query Data API/, 'exactly "Manage Queries and Columns" and "Run Queries" find the trace');
    const lastWrite = await run(key('noruns'));
    assert.ok(lastWrite.confirmed, lastWrite.error);
    assert.match(lastWrite.evidence!, /was written after the send/, 'without "Run Queries", "Create Datasets" confirms by the last write');
    const neither = await run(key('norunsnocreate'));
    assert.not.ok(neither.confirmed);
    assert.match(neither.error!, /neither "Create Datasets" .* nor "Manage Queries and Columns" with "Run Queries"/);
  } finally {
    await h.close();
  }
});

queryData.run();
