// The Honeycomb checks at their boundaries: the relative times at each unit's edge, the metrics
// dataset just inside and outside three collection intervals, each key kind the board check
// skips, the key check's exact words, and the titles the doctor prints.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { honeycombAuth } from '../../../doctor/checks/honeycomb-auth.ts';
import { honeycombBoardCheck } from '../../../doctor/checks/honeycomb-board.ts';
import { ago, honeycombDatasetCheck, honeycombMetricsCheck } from '../../../doctor/checks/honeycomb-dataset.ts';
import { honeycombKey } from '../../../doctor/checks/honeycomb-key.ts';
import { doctor } from '../../../doctor/main.ts';
import { BOARD_NAME } from '../../../lib/honeycomb-board.ts';
import { loadSettings } from '../../../lib/settings.ts';
import { silentTerm } from '../../../lib/term.ts';
import { KEYS } from '../../../../testkit/honeycomb.ts';
import { startClouds, type Clouds } from '../../world.ts';
import { runCheck } from '../helpers.ts';

const times = suite('ago');
times('each unit from its first whole value, rounded, never negative', () => {
  const now = Date.parse('2026-12-02T12:00:00Z');
  const at = (s: number) => ago(new Date(now - s * 1000).toISOString(), now);
  assert.equal([at(-5), at(0), at(89), at(90), at(5399), at(5400), at(129599), at(129600)], ['0 s ago', '0 s ago', '89 s ago', '2 min ago', '90 min ago', '2 h ago', '36 h ago', '2 days ago']);
});
times.run();

const key = suite('honeycomb.key: the words for each kind');
key('a configuration key passes as itself; an empty value is no key', async () => {
  const r = await runCheck(honeycombKey, loadSettings({ HONEYCOMB_API_KEY: KEYS.config }, {}));
  assert.is(r.status, 'pass');
  assert.match(r.detail, /^configuration key hcxlk_…#[0-9a-f]{8} \(HONEYCOMB_API_KEY from environment\)$/);
  const none = await runCheck(honeycombKey, loadSettings({ HONEYCOMB_API_KEY: '' }, {}));
  assert.equal([none.status, none.detail, none.fix], ['fail', 'HONEYCOMB_API_KEY is not set, so nothing can reach Honeycomb', 'run npm run setup (it checks the key and saves it; in Gitpod with gp env so new workspaces have it)']);
  const mgmt = await runCheck(honeycombKey, loadSettings({ HONEYCOMB_API_KEY: KEYS.management }, {}));
  assert.is(mgmt.fix, 'create an ingest key in Honeycomb (Environment settings > API keys) and save it with npm run setup');
  const quoted = await runCheck(honeycombKey, loadSettings({ HONEYCOMB_API_KEY: `'${KEYS.config}'` }, {}));
  assert.match(quoted.detail, /^HONEYCOMB_API_KEY \(HONEYCOMB_API_KEY from environment\) is malformed: /);
  assert.is(quoted.fix, 'save the key again, value only, with npm run setup (it strips nothing silently: it asks)');
});
key.run();

const t = suite<{ clouds: Clouds }>('honeycomb checks at their boundaries');
t.before(async (ctx) => {
  ctx.clouds = await startClouds();
});
t.after(({ clouds }) => clouds.close());

t('the metrics dataset: written within three intervals and a minute passes; just past it, the host’s metrics have stopped', async ({ clouds }) => {
  const settings = clouds.settings({ HONEYCOMB_API_KEY: KEYS.config });
  let r = await runCheck(honeycombMetricsCheck, settings);
  assert.equal([r.status, r.detail], ['warn', 'no metrics in dataset "cruddur-metrics" of environment "bootcamp" yet']);
  assert.is(r.fix, 'the collector writes it every 30 s once it runs with the key: docker compose up -d otel-collector; docker compose logs otel-collector names a failing otlp_http/honeycomb-metrics');
  clouds.honeycomb.addDataset(KEYS.config, 'cruddur-metrics', new Date(Date.now() - 140_000).toISOString());
  r = await runCheck(honeycombMetricsCheck, settings);
  assert.equal([r.status, r.detail], ['pass', `dataset "cruddur-metrics" written 2 min ago (the host's memory and the backend's runtime)`]);
  assert.match(r.links!.dataset!, /\/datasets\/cruddur-metrics\/home$/);
  clouds.honeycomb.addDataset(KEYS.config, 'cruddur-metrics', new Date(Date.now() - 155_000).toISOString());
  r = await runCheck(honeycombMetricsCheck, settings);
  assert.equal([r.status, r.detail], ['warn', `dataset "cruddur-metrics" was last written 3 min ago: the host's metrics have stopped`]);
  // Another name, from the setting.
  const other = await runCheck(honeycombMetricsCheck, clouds.settings({ HONEYCOMB_API_KEY: KEYS.config, HONEYCOMB_METRICS_DATASET: 'week2-metrics' }));
  assert.match(other.detail, /^no metrics in dataset "week2-metrics"/);
});

t('the metrics and board checks skip for an ingest key, and without a usable key, each saying why', async ({ clouds }) => {
  const ingest = clouds.settings({ HONEYCOMB_API_KEY: KEYS.ingest });
  assert.equal((await runCheck(honeycombMetricsCheck, ingest)).detail, 'listing datasets takes a configuration key with "Create Datasets"');
  assert.equal((await runCheck(honeycombBoardCheck, ingest)).detail, "an ingest key cannot see boards; npm run honeycomb:board prints the week's queries as links");
  const none = clouds.settings({ HONEYCOMB_API_KEY: '' });
  for (const check of [honeycombAuth, honeycombDatasetCheck, honeycombMetricsCheck, honeycombBoardCheck]) {
    const r = await runCheck(check, none);
    assert.equal([r.status, r.detail], ['skip', 'needs a usable key (see honeycomb.key)'], check.id);
  }
  const refused = clouds.settings({ HONEYCOMB_API_KEY: `hcxlk_${'9'.repeat(26)}` });
  for (const check of [honeycombDatasetCheck, honeycombMetricsCheck, honeycombBoardCheck]) {
    const r = await runCheck(check, refused);
    assert.equal([r.status, r.detail], ['skip', 'needs the key to authenticate (see honeycomb.auth)'], check.id);
  }
});

t('the board: missing, it says the command that makes it; made, it passes', async ({ clouds }) => {
  const settings = clouds.settings({ HONEYCOMB_API_KEY: KEYS.enterprise });
  const r = await runCheck(honeycombBoardCheck, settings);
  assert.is(r.status, 'warn');
  assert.is(r.detail, `no board "${BOARD_NAME}" in environment "bootcamp" yet`);
  assert.is(r.fix, 'npm run honeycomb:board makes it: the week’s questions, one saved query each');
});

t('the doctor prints each under the honeycomb group, with its title', async ({ clouds }) => {
  const checks = [honeycombKey, honeycombAuth, honeycombDatasetCheck, honeycombMetricsCheck, honeycombBoardCheck];
  const { results } = await doctor(['--only', 'honeycomb'], { settings: clouds.settings({ HONEYCOMB_API_KEY: KEYS.config }), term: silentTerm(), checks, startDir: '/nonexistent' });
  assert.equal(results.map((r) => [r.id, r.group, r.title]), [
    ['honeycomb.key', 'honeycomb', 'Honeycomb API key'],
    ['honeycomb.auth', 'honeycomb', 'Honeycomb team, environment and region'],
    ['honeycomb.dataset', 'honeycomb', 'the service’s dataset'],
    ['honeycomb.metrics', 'honeycomb', 'the metrics dataset'],
    ['honeycomb.board', 'honeycomb', `the "${BOARD_NAME}" board`],
  ]);
});

t.run();
