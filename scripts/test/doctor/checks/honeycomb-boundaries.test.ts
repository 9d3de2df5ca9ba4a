// The Honeycomb checks at their boundaries: the relative times at each unit's edge, the metrics
// dataset just inside and outside three collection intervals, each key kind the board check
// skips, the key check's exact words, and the titles the doctor prints.
import { suite } from 'uvu';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import * as assert from 'uvu/assert';
import { honeycombAuth } from '../../../doctor/checks/honeycomb-auth.ts';
import { honeycombBoardCheck } from '../../../doctor/checks/honeycomb-board.ts';
import { ago, honeycombDatasetCheck, honeycombMetricsCheck } from '../../../doctor/checks/honeycomb-dataset.ts';
import { smokeMetric } from '../../../smoke/hops/metrics.ts';
import { honeycombKey } from '../../../doctor/checks/honeycomb-key.ts';
import { interpolate, serviceNamesCheck } from '../../../doctor/checks/service-names.ts';
import { doctor } from '../../../doctor/main.ts';
import { BOARD_NAME } from '../../../lib/honeycomb/board.ts';
import { loadSettings } from '../../../lib/workspace/settings.ts';
import { silentTerm } from '../../../lib/terminal/term.ts';
import { KEYS, startHoneycombFake } from '../../../../testkit/honeycomb.ts';
import { answer, honeycombProxy } from '../../../../testkit/honeycomb-proxy.ts';
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
  const twice = await runCheck(honeycombKey, loadSettings({ HONEYCOMB_API_KEY: `"${KEYS.config}" ` }, {}));
  assert.is(twice.detail, 'HONEYCOMB_API_KEY (HONEYCOMB_API_KEY from environment) is malformed: it is wrapped in quotes; it has leading or trailing spaces', 'every problem, each named');
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
  // In the key's own team and environment (the UI of the endpoint's region).
  assert.match(r.links!.dataset!, /^https:\/\/ui\.honeycomb\.io\/[a-z0-9-]+\/environments\/bootcamp\/datasets\/cruddur-metrics\/home$/);
  clouds.honeycomb.addDataset(KEYS.config, 'cruddur-metrics', new Date(Date.now() - 155_000).toISOString());
  r = await runCheck(honeycombMetricsCheck, settings);
  assert.equal([r.status, r.detail], ['warn', `dataset "cruddur-metrics" was last written 3 min ago: the host's metrics have stopped`]);
  // Another name, from the setting.
  const other = await runCheck(honeycombMetricsCheck, clouds.settings({ HONEYCOMB_API_KEY: KEYS.config, HONEYCOMB_METRICS_DATASET: 'week2-metrics' }));
  assert.match(other.detail, /^no metrics in dataset "week2-metrics"/);
});

t('metrics sent without x-honeycomb-dataset land in unknown_metrics, as Honeycomb documents; the doctor names the missing header', async ({ clouds }) => {
  const settings = clouds.settings({ HONEYCOMB_API_KEY: KEYS.config, HONEYCOMB_METRICS_DATASET: 'week2-metrics' });
  assert.match((await runCheck(honeycombMetricsCheck, settings)).detail, /^no metrics in dataset "week2-metrics" of environment "bootcamp" yet$/, 'nothing anywhere yet');
  // What a collector whose metrics exporter lost the header sends: OTLP metrics and the key, no dataset.
  const sent = await fetch(`${clouds.honeycomb.url}/v1/metrics`, { method: 'POST', headers: { 'x-honeycomb-team': KEYS.config, 'content-type': 'application/json' }, body: JSON.stringify(smokeMetric('backend-flask', 'smoke-metrics-nohdr')) });
  assert.is(sent.status, 200, 'accepted, not refused');
  assert.ok(clouds.honeycomb.datasets(KEYS.config).has('unknown_metrics'));
  const r = await runCheck(honeycombMetricsCheck, settings);
  assert.is(r.status, 'warn');
  assert.match(r.detail, /^no metrics in dataset "week2-metrics", but "unknown_metrics" was written (just now|\d+ s ago): metrics arrive without the x-honeycomb-dataset header that names their dataset$/);
  assert.is(r.fix, "the collector's otlp_http/honeycomb-metrics exporter sets it from HONEYCOMB_METRICS_DATASET (otel-collector/config.yaml): restore that header, then docker compose up -d otel-collector");
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


t('the service’s dataset: none yet (and which there are, five at most), never written, stale, each with its fix and links', async ({ clouds }) => {
  const k = KEYS.otherEnv; // its own environment, "test", which this test fills
  const settings = clouds.settings({ HONEYCOMB_API_KEY: k, HONEYCOMB_ENVIRONMENT: 'test' });
  let r = await runCheck(honeycombDatasetCheck, settings);
  assert.equal([r.status, r.detail, r.fix], ['warn', 'no dataset "backend-flask" in environment "test" yet', 'it appears with the first span: run npm run smoke, or check OTEL_SERVICE_NAME is backend-flask in the backend container']);
  for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) clouds.honeycomb.addDataset(k, name, null);
  r = await runCheck(honeycombDatasetCheck, settings);
  assert.is(r.detail, 'no dataset "backend-flask" in environment "test" yet (there are: a, b, c, d, e)');
  clouds.honeycomb.addDataset(k, 'backend-flask', null);
  r = await runCheck(honeycombDatasetCheck, settings);
  assert.equal([r.status, r.detail, r.fix], ['warn', 'dataset "backend-flask" exists but was never written', 'send traffic (npm run smoke) and check the collector forwards it (npm run doctor -- --only stack)']);
  assert.match(r.links!.dataset!, /\/cruddur-bootcamp\/environments\/test\/datasets\/backend-flask\/home$/);
  clouds.honeycomb.addDataset(k, 'backend-flask', new Date(Date.now() - 25 * 3600_000).toISOString());
  r = await runCheck(honeycombDatasetCheck, settings);
  assert.equal([r.status, r.detail, r.fix], ['warn', 'dataset "backend-flask" was last written 25 h ago', 'nothing has arrived lately: npm run smoke says which hop is broken']);
});

// The clock held while a check runs: the edges below are to the millisecond.
async function at<T>(now: number, run: () => Promise<T>): Promise<T> {
  const real = Date.now;
  Date.now = () => now;
  try {
    return await run();
  } finally {
    Date.now = real;
  }
}

t('honeycomb.auth: an EU endpoint is said as region EU (the name api.eu1.honeycomb.io resolved to the fake)', async ({ clouds }) => {
  const before = getGlobalDispatcher();
  // Node's fetch goes through undici's global dispatcher: this one looks every name up as loopback.
  setGlobalDispatcher(new Agent({ connect: { lookup: (_host, _options, done) => done(null, [{ address: '127.0.0.1', family: 4 }]) } }));
  try {
    const eu = `http://api.eu1.honeycomb.io:${new URL(clouds.honeycomb.url).port}`;
    const r = await runCheck(honeycombAuth, clouds.settings({ HONEYCOMB_API_KEY: KEYS.config, HONEYCOMB_API_ENDPOINT: eu, HONEYCOMB_ENVIRONMENT: '' }));
    assert.equal([r.status, r.detail], ['warn', 'the key writes to team "Cruddur Bootcamp", environment "bootcamp", region EU']);
  } finally {
    setGlobalDispatcher(before);
  }
});

t('the edges to the millisecond: the service’s dataset written exactly 24 h ago is fresh, 1 ms more is stale; the metrics’ at exactly three intervals and a minute the same', async ({ clouds }) => {
  const now = Date.parse('2026-12-07T12:00:00.000Z');
  const iso = (ms: number) => new Date(now - ms).toISOString();
  const service = clouds.settings({ HONEYCOMB_API_KEY: KEYS.otherEnv, HONEYCOMB_ENVIRONMENT: 'test', OTEL_SERVICE_NAME: 'edge-service' });
  clouds.honeycomb.addDataset(KEYS.otherEnv, 'edge-service', iso(24 * 3600_000));
  assert.equal((await at(now, () => runCheck(honeycombDatasetCheck, service))).status, 'pass');
  clouds.honeycomb.addDataset(KEYS.otherEnv, 'edge-service', iso(24 * 3600_000 + 1));
  assert.equal((await at(now, () => runCheck(honeycombDatasetCheck, service))).status, 'warn');
  const metrics = clouds.settings({ HONEYCOMB_API_KEY: KEYS.otherEnv, HONEYCOMB_ENVIRONMENT: 'test', HONEYCOMB_METRICS_DATASET: 'edge-metrics' });
  clouds.honeycomb.addDataset(KEYS.otherEnv, 'edge-metrics', iso(150_000));
  assert.equal((await at(now, () => runCheck(honeycombMetricsCheck, metrics))).status, 'pass');
  clouds.honeycomb.addDataset(KEYS.otherEnv, 'edge-metrics', iso(150_001));
  assert.equal((await at(now, () => runCheck(honeycombMetricsCheck, metrics))).status, 'warn');
});

t('datasets Honeycomb cannot list: the service’s check fails with its words; the metrics check, optional, warns', async ({ clouds }) => {
  const down = await honeycombProxy(clouds.honeycomb.url, (req, res) => req.url === '/1/datasets' && answer(res, 503, { error: 'service unavailable' }));
  try {
    const settings = clouds.settings({ HONEYCOMB_API_KEY: KEYS.config, HONEYCOMB_API_ENDPOINT: down.url });
    const dataset = await runCheck(honeycombDatasetCheck, settings);
    assert.equal([dataset.status, dataset.detail], ['fail', 'Honeycomb answered 503 ("service unavailable"): a problem on its side']);
    const metrics = await runCheck(honeycombMetricsCheck, settings);
    assert.equal([metrics.status, metrics.detail], ['warn', 'Honeycomb answered 503 ("service unavailable"): a problem on its side']);
  } finally {
    await down.close();
  }
});


t('a key without "Create Datasets" asks each dataset by its columns: both there passes, naming them; a columns call that fails is that failure, not "does not exist"', async ({ clouds }) => {
  const NOCREATE = `hcxlk_${'01jnocreatekey'.padEnd(26, '0')}`;
  const h = await startHoneycombFake({ keys: { [NOCREATE]: { team: { name: 'T', slug: 't' }, environment: { name: 'bootcamp', slug: 'bootcamp' }, type: 'configuration', access: { createDatasets: false } } } });
  for (const d of ['backend-flask', 'frontend-react-js']) h.addDataset(NOCREATE, d, new Date().toISOString());
  const down = await honeycombProxy(h.url, (req, res) => req.url!.startsWith('/1/columns/frontend') && answer(res, 500, { error: 'internal error' }));
  try {
    const ok = await runCheck(honeycombDatasetCheck, clouds.settings({ HONEYCOMB_API_KEY: NOCREATE, HONEYCOMB_API_ENDPOINT: h.url }));
    assert.equal([ok.status, ok.detail], ['pass', 'datasets "backend-flask" and "frontend-react-js" exist in environment "bootcamp" (the key cannot create new ones, and need not)']);
    const failing = await runCheck(honeycombDatasetCheck, clouds.settings({ HONEYCOMB_API_KEY: NOCREATE, HONEYCOMB_API_ENDPOINT: down.url }));
    assert.equal([failing.status, failing.detail], ['fail', 'Honeycomb answered 500 ("internal error"): a problem on its side'], 'Honeycomb’s failure, not "the check crashed"');
    assert.match(failing.fix!, /^try again in a few minutes/);
  } finally {
    await Promise.all([down.close(), h.close()]);
  }
});

t('honeycomb.auth: the place in full words, with no environment expected, for Classic, and the other region asked only for a 401', async ({ clouds }) => {
  const open = await runCheck(honeycombAuth, clouds.settings({ HONEYCOMB_API_KEY: KEYS.config, HONEYCOMB_ENVIRONMENT: '' }));
  assert.equal([open.status, open.detail, open.fix], ['warn', 'the key writes to team "Cruddur Bootcamp", environment "bootcamp", region US', 'set HONEYCOMB_ENVIRONMENT=bootcamp so smoke and doctor fail if data ever goes elsewhere']);
  const classic = await runCheck(honeycombAuth, clouds.settings({ HONEYCOMB_API_KEY: KEYS.classic, HONEYCOMB_ENVIRONMENT: '' }));
  assert.is(classic.detail, 'a Honeycomb Classic key (team "Cruddur Bootcamp", region US): it has no environment, and Classic needs an x-honeycomb-dataset header the collector does not send');
  // Honeycomb failing (503) is not a key of the other region, even where that region would take it.
  const other = await startHoneycombFake({ keys: { [KEYS.config]: { team: { name: 'T', slug: 't' }, environment: { name: 'bootcamp', slug: 'bootcamp' }, type: 'configuration' } } });
  clouds.honeycomb.setMode('server-error');
  try {
    const r = await runCheck(honeycombAuth, clouds.settings({ HONEYCOMB_API_KEY: KEYS.config }), { honeycombOtherRegion: other.url });
    assert.equal([r.status, r.detail], ['fail', 'Honeycomb answered 503 ("service unavailable"): a problem on its side']);
  } finally {
    clouds.honeycomb.setMode('ok');
    await other.close();
  }
});

t('compose values: ${NAME}, ${NAME:-default} and ${NAME-default}, the workspace’s value first', () => {
  assert.equal(
    [interpolate('${A}', { A: 'x' }), interpolate('${A:-d}', {}), interpolate('${A-d}', {}), interpolate('${A-d}', { A: 'x' }), interpolate('a-${B}-c', {})],
    ['x', 'd', 'd', 'x', 'a--c'],
  );
});

t('the doctor prints each under the honeycomb group, with its title', async ({ clouds }) => {
  const checks = [honeycombKey, honeycombAuth, honeycombDatasetCheck, honeycombMetricsCheck, honeycombBoardCheck, serviceNamesCheck];
  const { results } = await doctor(['--only', 'honeycomb'], { settings: clouds.settings({ HONEYCOMB_API_KEY: KEYS.config }), term: silentTerm(), checks, startDir: '/nonexistent' });
  assert.equal(results.map((r) => [r.id, r.group, r.title]), [
    ['honeycomb.key', 'honeycomb', 'Honeycomb API key'],
    ['honeycomb.auth', 'honeycomb', 'Honeycomb team, environment and region'],
    ['honeycomb.dataset', 'honeycomb', 'the service’s dataset'],
    ['honeycomb.metrics', 'honeycomb', 'the metrics dataset'],
    ['honeycomb.board', 'honeycomb', `the "${BOARD_NAME}" board`],
    ['honeycomb.service-names', 'honeycomb', 'one service name per service'],
  ]);
  assert.equal(checks.filter((c) => c.required === false).map((c) => c.id), ['honeycomb.metrics', 'honeycomb.board', 'honeycomb.service-names'], 'the optional ones: their failures are warnings');
});

t.run();
