import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { honeycombAuth } from '../../../doctor/checks/honeycomb-auth.ts';
import { honeycombDatasetCheck } from '../../../doctor/checks/honeycomb-dataset.ts';
import { honeycombKey, MESSAGES } from '../../../doctor/checks/honeycomb-key.ts';
import { closedPort } from '../../../../testkit/http.ts';
import { KEYS, startHoneycombFake } from '../../../../testkit/honeycomb.ts';
import { BOOTCAMP, startClouds, TEAM, type Clouds } from '../../world.ts';
import { runCheck } from '../helpers.ts';

const key = suite('honeycomb.key');

key('fails when the key is not set, saying what happens and the command that fixes it', async () => {
  const { loadSettings } = await import('../../../lib/workspace/settings.ts');
  const r = await runCheck(honeycombKey, loadSettings({ HOME: '/nonexistent' }, {}));
  assert.is(r.status, 'fail');
  assert.is(r.detail, MESSAGES.missing);
  assert.is(r.fix, MESSAGES.missingFix);
});

for (const [label, value, said] of [
  ['quotes', `"${KEYS.ingest}"`, /wrapped in quotes/],
  ['a trailing newline', `${KEYS.ingest}\n`, /contains a newline/],
  ['spaces', ` ${KEYS.ingest}`, /leading or trailing spaces/],
  ['the key pasted twice', `${KEYS.ingest}${KEYS.ingest}`, /the same key pasted twice/],
  ['the variable name pasted too', `HONEYCOMB_API_KEY=${KEYS.ingest}`, /paste only the value/],
] as const) {
  key(`fails when the key has ${label}, without showing it`, async () => {
    const { loadSettings } = await import('../../../lib/workspace/settings.ts');
    const r = await runCheck(honeycombKey, loadSettings({ HONEYCOMB_API_KEY: value }, {}));
    assert.is(r.status, 'fail');
    assert.match(r.detail, said);
    assert.match(r.fix!, /npm run setup/);
    assert.not.ok(r.detail.includes(KEYS.ingest.slice(8)), 'the key is not in the detail');
  });
}

key('tells the kind of key from its shape, masked', async () => {
  const { loadSettings } = await import('../../../lib/workspace/settings.ts');
  const ingest = await runCheck(honeycombKey, loadSettings({ HONEYCOMB_API_KEY: KEYS.ingest }, {}));
  assert.is(ingest.status, 'pass');
  assert.match(ingest.detail, /^ingest key hcxik_…#[0-9a-f]{8} \(HONEYCOMB_API_KEY from environment\): may send; cannot read datasets/);
  const mgmt = await runCheck(honeycombKey, loadSettings({}, { HONEYCOMB_API_KEY: KEYS.management }));
  assert.is(mgmt.status, 'fail');
  assert.match(mgmt.detail, /management key .*from \.env.*cannot send telemetry/);
  const classic = await runCheck(honeycombKey, loadSettings({ HONEYCOMB_API_KEY: '3f9a0c1e7b2d4a6f8e0b1c3d5e7f9a1b' }, {}));
  assert.is(classic.status, 'warn');
  assert.match(classic.detail, /Classic/);
  const classicIngest = await runCheck(honeycombKey, loadSettings({ HONEYCOMB_API_KEY: `hcxic_${'0'.repeat(58)}` }, {}));
  assert.is(classicIngest.status, 'warn');
  assert.match(classicIngest.detail, /Classic ingest key .*x-honeycomb-dataset header the collector does not send/);
  assert.match(classicIngest.fix!, /create an environment/);
  const junk = await runCheck(honeycombKey, loadSettings({ HONEYCOMB_API_KEY: 'not-a-key' }, {}));
  assert.is(junk.status, 'fail');
  assert.match(junk.detail, /matches no Honeycomb key format/);
});

key('a key with an invisible or non-ASCII character is called that, not truncated', async () => {
  const { loadSettings } = await import('../../../lib/workspace/settings.ts');
  for (const odd of [`${KEYS.config.slice(0, 10)}\u200b${KEYS.config.slice(10)}`, `${KEYS.config.slice(0, -1)}é`, `${KEYS.config.slice(0, 8)}\u0007${KEYS.config.slice(9)}`]) {
    const r = await runCheck(honeycombKey, loadSettings({ HONEYCOMB_API_KEY: odd }, {}));
    assert.is(r.status, 'fail');
    assert.match(r.detail, /invisible or non-ASCII character/, r.detail);
    assert.not.match(r.detail, /truncated/);
  }
});

key.run();

const auth = suite<{ clouds: Clouds }>('honeycomb.auth');
auth.before(async (ctx) => {
  ctx.clouds = await startClouds();
});
auth.after(async (ctx) => {
  await ctx.clouds.close();
});
auth.after.each(({ clouds }) => clouds.honeycomb.setMode('ok'));

auth('passes with the team, environment and region when they match HONEYCOMB_ENVIRONMENT', async ({ clouds }) => {
  const r = await runCheck(honeycombAuth, clouds.settings());
  assert.is(r.status, 'pass');
  assert.is(r.detail, `team "${TEAM.name}", environment "${BOOTCAMP.name}", region US`);
  assert.match(r.links!.environment!, /ui\.honeycomb\.io\/cruddur-bootcamp\/environments\/bootcamp$/);
});

auth('fails when the key belongs to another environment, naming both and the fix', async ({ clouds }) => {
  const r = await runCheck(honeycombAuth, clouds.settings({ HONEYCOMB_API_KEY: KEYS.otherEnv }));
  assert.is(r.status, 'fail');
  assert.match(r.detail, /writes to team "Cruddur Bootcamp", environment "test", region US, but HONEYCOMB_ENVIRONMENT is "bootcamp": data lands in "test", not "bootcamp"/);
  assert.match(r.fix!, /use a key from environment "bootcamp".*npm run setup.*HONEYCOMB_ENVIRONMENT=test/);
});

auth('warns with the environment found when HONEYCOMB_ENVIRONMENT is unset', async ({ clouds }) => {
  const r = await runCheck(honeycombAuth, clouds.settings({ HONEYCOMB_ENVIRONMENT: undefined }));
  assert.is(r.status, 'warn');
  assert.match(r.fix!, /set HONEYCOMB_ENVIRONMENT=bootcamp/);
});

auth('fails when the key belongs to the other region, naming the endpoint to set', async ({ clouds }) => {
  const eu = await startHoneycombFake({ keys: { [KEYS.eu]: { team: TEAM, environment: BOOTCAMP, type: 'configuration' } } });
  try {
    const r = await runCheck(honeycombAuth, clouds.settings({ HONEYCOMB_API_KEY: KEYS.eu }), { honeycombOtherRegion: eu.url });
    assert.is(r.status, 'fail');
    assert.match(r.detail, /accepted by http:\/\/127\.0\.0\.1:\d+: it belongs to the other region/);
    assert.match(r.fix!, new RegExp(`set HONEYCOMB_API_ENDPOINT=${eu.url}`));
  } finally {
    await eu.close();
  }
});

auth('401: a key Honeycomb does not know', async ({ clouds }) => {
  const r = await runCheck(honeycombAuth, clouds.settings({ HONEYCOMB_API_KEY: `hcxlk_${'9'.repeat(26)}` }), { honeycombOtherRegion: clouds.honeycomb.url });
  assert.is(r.status, 'fail');
  assert.match(r.detail, /Honeycomb does not accept this key \("unknown API key - check your credentials"\)/);
  assert.match(r.fix!, /copy the key again/);
});

auth('404: an endpoint that is not the API root', async ({ clouds }) => {
  const r = await runCheck(honeycombAuth, clouds.settings({ HONEYCOMB_API_ENDPOINT: `${clouds.honeycomb.url}/api` }));
  assert.is(r.status, 'fail');
  assert.match(r.detail, /\/1\/auth was not found/);
  assert.match(r.fix!, /HONEYCOMB_API_ENDPOINT is the API root/);
});

auth('a Classic key: no environment to check, and what to do instead', async ({ clouds }) => {
  const r = await runCheck(honeycombAuth, clouds.settings({ HONEYCOMB_API_KEY: KEYS.classic }));
  assert.is(r.status, 'warn');
  assert.match(r.detail, /a Honeycomb Classic key \(team "Cruddur Bootcamp", region US\): it has no environment, so HONEYCOMB_ENVIRONMENT="bootcamp" cannot be checked/);
  assert.match(r.fix!, /create an environment in Honeycomb/);
  assert.not.match(r.fix!, /HONEYCOMB_ENVIRONMENT=$/);
});

auth('429: rate limited, with the retry-after', async ({ clouds }) => {
  clouds.honeycomb.setMode('rate-limited');
  const r = await runCheck(honeycombAuth, clouds.settings());
  assert.is(r.status, 'fail');
  assert.match(r.detail, /rate-limiting this key \(retry after (29|30) s\)/);
  assert.match(r.fix!, /wait (29|30) s/);
});

auth('5xx: a problem on Honeycomb’s side, with the status page', async ({ clouds }) => {
  clouds.honeycomb.setMode('server-error');
  const r = await runCheck(honeycombAuth, clouds.settings());
  assert.is(r.status, 'fail');
  assert.match(r.detail, /Honeycomb answered 503/);
  assert.match(r.fix!, /status\.honeycomb\.io/);
});

auth('garbled JSON: an answer that is not the API', async ({ clouds }) => {
  clouds.honeycomb.setMode('garbled');
  const r = await runCheck(honeycombAuth, clouds.settings());
  assert.is(r.status, 'fail');
  assert.match(r.detail, /answered 200 with something that is not JSON/);
  assert.match(r.fix!, /not the UI or a proxy/);
});

auth('a hung server ends at the check’s own timeout', async ({ clouds }) => {
  clouds.honeycomb.setMode('hang');
  const started = Date.now();
  const r = await runCheck({ ...honeycombAuth, timeoutMs: 300 }, clouds.settings());
  assert.ok(Date.now() - started < 2000);
  assert.is(r.status, 'fail');
  assert.is(r.detail, 'no answer within 0.3 s');
  assert.match(r.fix!, /hung or unreachable/);
});

auth('DNS failure and connection refused are told apart', async ({ clouds }) => {
  const dns = await runCheck(honeycombAuth, clouds.settings({ HONEYCOMB_API_ENDPOINT: 'http://cruddur-test.invalid' }));
  assert.match(dns.detail, /the host name cruddur-test\.invalid does not resolve \(DNS\)/);
  const port = await closedPort();
  const refused = await runCheck(honeycombAuth, clouds.settings({ HONEYCOMB_API_ENDPOINT: `http://127.0.0.1:${port}` }));
  assert.match(refused.detail, /nothing is listening at http:\/\/127\.0\.0\.1:\d+\/1\/auth \(connection refused\)/);
  assert.match(refused.fix!, /HONEYCOMB_API_ENDPOINT to https:\/\/api\.honeycomb\.io/);
});

auth.run();

const dataset = suite<{ clouds: Clouds }>('honeycomb.dataset');
dataset.before(async (ctx) => {
  ctx.clouds = await startClouds();
});
dataset.after(async (ctx) => {
  await ctx.clouds.close();
});

dataset('warns when the service’s dataset does not exist yet, listing the ones that do', async ({ clouds }) => {
  clouds.honeycomb.addDataset(KEYS.config, 'frontend-react-js', new Date().toISOString());
  const r = await runCheck(honeycombDatasetCheck, clouds.settings({ HONEYCOMB_API_KEY: KEYS.config }));
  assert.is(r.status, 'warn');
  assert.match(r.detail, /no dataset "backend-flask" in environment "bootcamp" yet \(there are: frontend-react-js\)/);
  assert.match(r.fix!, /npm run smoke/);
});

dataset('passes with when it was last written, and links the latency queries', async ({ clouds }) => {
  clouds.honeycomb.addDataset(KEYS.config, 'backend-flask', new Date(Date.now() - 120_000).toISOString());
  const r = await runCheck(honeycombDatasetCheck, clouds.settings({ HONEYCOMB_API_KEY: KEYS.config }));
  assert.is(r.status, 'pass');
  assert.is(r.detail, 'dataset "backend-flask" last written 2 min ago');
  const heatmap = JSON.parse(decodeURIComponent(new URL(r.links!.heatmap!).searchParams.get('query')!));
  assert.equal(heatmap.calculations, [{ op: 'HEATMAP', column: 'duration_ms' }]);
  const p90 = JSON.parse(new URL(r.links!.p90ByEndpoint!).searchParams.get('query')!);
  assert.equal(p90.breakdowns, ['http.route']);
  assert.equal(p90.calculations, [{ op: 'P90', column: 'duration_ms' }]);
});

dataset('warns when the dataset was written long ago or never', async ({ clouds }) => {
  clouds.honeycomb.addDataset(KEYS.config, 'backend-flask', new Date(Date.now() - 3 * 86400_000).toISOString());
  let r = await runCheck(honeycombDatasetCheck, clouds.settings({ HONEYCOMB_API_KEY: KEYS.config }));
  assert.is(r.status, 'warn');
  assert.match(r.detail, /last written 3 days ago/);
  clouds.honeycomb.addDataset(KEYS.config, 'backend-flask', null);
  r = await runCheck(honeycombDatasetCheck, clouds.settings({ HONEYCOMB_API_KEY: KEYS.config }));
  assert.match(r.detail, /exists but was never written/);
});

dataset('is skipped with a reason for an ingest key, which may not read datasets', async ({ clouds }) => {
  const r = await runCheck(honeycombDatasetCheck, clouds.settings({ HONEYCOMB_API_KEY: KEYS.ingest }));
  assert.is(r.status, 'skip');
  assert.match(r.detail, /ingest key cannot list datasets/);
});

dataset.run();
