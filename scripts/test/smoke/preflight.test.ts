// The smoke's preflight as a truth table, in one process against the cloud fakes: what every hop
// learns before it sends (whose environment the key writes to, whether it may query or list
// datasets, the X-Ray group's filter), and each refusal in the words the hops then print.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { closedPort } from '../../../testkit/http.ts';
import { BOOTCAMP, startClouds, TEAM, type Clouds } from '../../../testkit/clouds.ts';
import { KEYS, startHoneycombFake } from '../../../testkit/honeycomb.ts';
import { preflight } from '../../smoke/preflight.ts';

const t = suite<{ clouds: Clouds }>('the smoke’s preflight: what each hop knows before it sends');
t.before(async (ctx) => {
  ctx.clouds = await startClouds();
});
t.after(async ({ clouds }) => {
  await clouds?.close();
});
t.before.each(({ clouds }) => {
  clouds.xray.allowAll();
  clouds.honeycomb.setMode('ok');
});

const run = (clouds: Clouds, env: Record<string, string | undefined>) => preflight(clouds.settings(env), AbortSignal.timeout(5000), { honeycombOtherRegion: `http://127.0.0.1:1` });

t('nothing configured: nothing asked', async ({ clouds }) => {
  assert.equal(await run(clouds, { HONEYCOMB_API_KEY: '', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }), { honeycomb: undefined, xray: undefined });
  const spaces = await run(clouds, { HONEYCOMB_API_KEY: '   ', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' });
  assert.is(spaces.honeycomb, undefined, 'a key of spaces is no key');
});

t('a key that writes where it should: its auth kept; an Enterprise key may query; a configuration or ingest key may list datasets but not query', async ({ clouds }) => {
  const enterprise = (await run(clouds, { HONEYCOMB_API_KEY: `  ${KEYS.enterprise}\t` })).honeycomb!;
  assert.equal([enterprise.key, enterprise.error, enterprise.auth?.environment?.slug, enterprise.queryable, enterprise.readable], [KEYS.enterprise, undefined, BOOTCAMP.slug, true, true]);
  const config = (await run(clouds, { HONEYCOMB_API_KEY: KEYS.config })).honeycomb!;
  assert.equal([config.error, config.auth?.team.name, config.queryable, config.readable], [undefined, TEAM.name, false, true]);
  const ingest = (await run(clouds, { HONEYCOMB_API_KEY: KEYS.ingest })).honeycomb!;
  // An ingest key's /1/auth grants Create Datasets alone: it may list datasets, never query.
  assert.equal([ingest.error, ingest.queryable, ingest.readable], [undefined, false, true]);
});

t('HONEYCOMB_ENVIRONMENT: the same environment by name or slug passes; another is refused with where data would land and both ways out', async ({ clouds }) => {
  for (const named of ['bootcamp', 'Bootcamp', 'BOOTCAMP']) assert.is((await run(clouds, { HONEYCOMB_API_KEY: KEYS.config, HONEYCOMB_ENVIRONMENT: named })).honeycomb!.error, undefined, named);
  const other = (await run(clouds, { HONEYCOMB_API_KEY: KEYS.otherEnv, HONEYCOMB_ENVIRONMENT: 'bootcamp' })).honeycomb!;
  assert.is(other.error, 'the key belongs to environment "test" of team "Cruddur Bootcamp", not "bootcamp" (HONEYCOMB_ENVIRONMENT): data would land in "test". Use a key from "bootcamp" (npm run setup), or set HONEYCOMB_ENVIRONMENT=test');
  assert.equal([other.auth, other.queryable, other.readable], [undefined, false, false], 'nothing is confirmed in the wrong environment');
  assert.is((await run(clouds, { HONEYCOMB_API_KEY: KEYS.otherEnv, HONEYCOMB_ENVIRONMENT: '' })).honeycomb!.error, undefined, 'no environment asked for: any');
});

t('an environment known only by its slug, and a Honeycomb Classic key, whose environment has neither name nor slug', async ({ clouds }) => {
  const SLUGGED = `hcxlk_${'01jtestsluggedkey'.padEnd(26, '0')}`;
  const CLASSIC = `hcxlk_${'01jtestclassicenv'.padEnd(26, '0')}`;
  const h = await startHoneycombFake({ keys: { [SLUGGED]: { team: TEAM, environment: { name: 'Bootcamp 2026', slug: 'bootcamp-2026' }, type: 'configuration' }, [CLASSIC]: { team: TEAM, environment: { name: '', slug: '' }, type: 'configuration' } } });
  const at = (key: string, environment: string) => preflight(clouds.settings({ HONEYCOMB_API_KEY: key, HONEYCOMB_API_ENDPOINT: h.url, HONEYCOMB_ENVIRONMENT: environment }), AbortSignal.timeout(5000));
  try {
    assert.is((await at(SLUGGED, 'bootcamp-2026')).honeycomb!.error, undefined, 'by its slug');
    assert.is((await at(SLUGGED, 'bootcamp 2026')).honeycomb!.error, undefined, 'by its name, in any case');
    assert.is((await at(SLUGGED, 'bootcamp')).honeycomb!.error, 'the key belongs to environment "Bootcamp 2026" of team "Cruddur Bootcamp", not "bootcamp" (HONEYCOMB_ENVIRONMENT): data would land in "Bootcamp 2026". Use a key from "bootcamp" (npm run setup), or set HONEYCOMB_ENVIRONMENT=bootcamp-2026');
    assert.is(
      (await at(CLASSIC, 'bootcamp')).honeycomb!.error,
      'the key is a Honeycomb Classic key of team "Cruddur Bootcamp": it has no environment, so HONEYCOMB_ENVIRONMENT="bootcamp" cannot be checked, and Classic needs an x-honeycomb-dataset header the collector does not send. Create an environment in Honeycomb (the course uses "bootcamp"), make an ingest key there, and save it with npm run setup',
    );
  } finally {
    await h.close();
  }
});

t('a key that may not run queries is not made to try: no query reaches Honeycomb', async () => {
  const paths: string[] = [];
  const clouds = await startClouds({ onExchange: (e) => paths.push(`${e.method} ${e.path}`) });
  try {
    // An ingest key's permissions hold neither Manage Queries nor Run Queries.
    const ingest = (await preflight(clouds.settings({ HONEYCOMB_API_KEY: KEYS.ingest }), AbortSignal.timeout(5000))).honeycomb!;
    assert.is(ingest.queryable, false);
    assert.equal(paths, ['GET /1/auth']);
    // A configuration key with both asks once whether the Query Data API answers it (Enterprise only).
    paths.length = 0;
    await preflight(clouds.settings({ HONEYCOMB_API_KEY: KEYS.config }), AbortSignal.timeout(5000));
    assert.equal(paths, ['GET /1/auth', 'POST /1/queries/__all__', 'POST /1/query_results/__all__']);
  } finally {
    await clouds.close();
  }
});

t('a key that cannot send is refused before any call, in its own words', async ({ clouds }) => {
  const management = (await run(clouds, { HONEYCOMB_API_KEY: KEYS.management })).honeycomb!;
  assert.is(management.error, 'HONEYCOMB_API_KEY is a management key: a management key manages teams and keys; it cannot send telemetry. Create an ingest key for the environment instead');
  assert.is(management.auth, undefined);
});

t('a key Honeycomb refuses: the fault and its fix; one the other region knows: the endpoint to set', async ({ clouds }) => {
  const unknown = (await run(clouds, { HONEYCOMB_API_KEY: `hcxlk_${'9'.repeat(26)}` })).honeycomb!;
  assert.is(unknown.error, 'Honeycomb does not accept this key ("unknown API key - check your credentials"): copy the key again from Honeycomb (Environment settings > API keys) and save it with npm run setup; an EU key needs HONEYCOMB_API_ENDPOINT=https://api.eu1.honeycomb.io');
  assert.is(unknown.auth, undefined);
  const eu = await startHoneycombFake({ keys: { [KEYS.eu]: { team: TEAM, environment: BOOTCAMP, type: 'configuration' } } });
  try {
    const state = (await preflight(clouds.settings({ HONEYCOMB_API_KEY: KEYS.eu }), AbortSignal.timeout(5000), { honeycombOtherRegion: eu.url })).honeycomb!;
    assert.is(state.error, `the key belongs to the other Honeycomb region: set HONEYCOMB_API_ENDPOINT=${eu.url}`);
    // Another failure than 401 never sends the key to the other region.
    clouds.honeycomb.setMode('server-error');
    const failing = (await preflight(clouds.settings({ HONEYCOMB_API_KEY: KEYS.eu }), AbortSignal.timeout(5000), { honeycombOtherRegion: eu.url })).honeycomb!;
    assert.not.match(failing.error!, /other Honeycomb region/);
    assert.match(failing.error!, /^.+: .+$/);
  } finally {
    await eu.close();
  }
  const gone = `http://127.0.0.1:${await closedPort()}`;
  const unreachable = (await run(clouds, { HONEYCOMB_API_KEY: KEYS.config, HONEYCOMB_API_ENDPOINT: gone })).honeycomb!;
  assert.match(unreachable.error!, /^.+: .+$/, 'an endpoint with nothing behind it is a fault with a fix, not a crash');
});

t('X-Ray: the group’s filter; a group without one, a group that is not there, and a refusal, each with what to do', async ({ clouds }) => {
  const aws = await run(clouds, { HONEYCOMB_API_KEY: '' });
  assert.equal([aws.honeycomb, aws.xray?.filter, aws.xray?.error], [undefined, 'service("backend-flask")', undefined]);
  assert.ok(aws.xray?.client, 'the client the hops send with');
  clouds.xray.addGroup('Bare', '');
  assert.is((await run(clouds, { HONEYCOMB_API_KEY: '', XRAY_GROUP: 'Bare', OTEL_SERVICE_NAME: 'api' })).xray!.error, 'X-Ray group Bare has no filter expression: set it to service("api")');
  assert.is((await run(clouds, { HONEYCOMB_API_KEY: '', XRAY_GROUP: 'Nope', AWS_REGION: 'us-east-1' })).xray!.error, 'X-Ray group Nope does not exist in us-east-1: create it with npm run xray:setup');
  clouds.xray.deny('GetGroup');
  const refused = (await run(clouds, { HONEYCOMB_API_KEY: '' })).xray!;
  assert.is(refused.error, 'AWS denied xray:GetGroup: the credentials lack xray:GetGroup: grant xray:GetGroup to the IAM user or role (for the course: attach AWSXrayFullAccess), then run again');
  assert.ok(refused.client);
});

t('an X-Ray that does not answer: the preflight ends with the smoke’s deadline, not X-Ray’s', async ({ clouds }) => {
  clouds.xray.setLatency(5000);
  try {
    const started = performance.now();
    const hung = await preflight(clouds.settings({ HONEYCOMB_API_KEY: '' }), AbortSignal.timeout(300));
    assert.ok(performance.now() - started < 2000, `${Math.round(performance.now() - started)} ms`);
    assert.ok(hung.xray?.error, 'an error, not the filter it never got');
    assert.is(hung.xray?.filter, undefined);
  } finally {
    clouds.xray.setLatency(0);
  }
});

t.run();
