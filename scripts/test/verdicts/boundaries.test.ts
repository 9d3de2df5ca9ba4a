// The nearest wrong input on each side of a verdict, asserted on what the student reads: the
// near-miss environment name (in the doctor, the smoke's preflight and setup alike), the
// collector container made before the key was saved, an X-Ray filter the doctor cannot
// evaluate, the smoke's X-Ray poll against --timeout.
import { PassThrough } from 'node:stream';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { honeycombAuth } from '../../doctor/checks/honeycomb-auth.ts';
import { workspaceSecrets } from '../../doctor/checks/workspace-secrets.ts';
import { xrayGroup } from '../../doctor/checks/xray-group.ts';
import { sameEnvironment } from '../../lib/honeycomb/api.ts';
import { fingerprint } from '../../lib/terminal/secrets.ts';
import { loadSettings } from '../../lib/workspace/settings.ts';
import { silentTerm } from '../../lib/terminal/term.ts';
import { setup } from '../../setup/main.ts';
import { smoke } from '../../smoke/main.ts';
import { fakeCli } from '../../../testkit/fake-cli.ts';
import { startHoneycombFake, type HoneycombFake } from '../../../testkit/honeycomb.ts';
import { runCheck } from '../doctor/helpers.ts';
import { AWS, startClouds, TEAM, type Clouds } from '../world.ts';

const STAGING = `hcxlk_${'01jstagingkey'.padEnd(26, '0')}`;
const CAPS = `hcxlk_${'01jcapitalkey'.padEnd(26, '0')}`;

const env = suite<{ clouds: Clouds; h: HoneycombFake }>('the Honeycomb environment, compared whole, in the doctor, the smoke and setup');
env.before(async (ctx) => {
  ctx.clouds = await startClouds();
  ctx.h = await startHoneycombFake({
    keys: {
      [STAGING]: { team: TEAM, environment: { name: 'bootcamp-staging', slug: 'bootcamp-staging' }, type: 'configuration' },
      [CAPS]: { team: TEAM, environment: { name: 'Bootcamp', slug: 'bootcamp' }, type: 'configuration' },
    },
  });
});
env.after(async ({ clouds, h }) => {
  await Promise.all([clouds.close(), h.close()]);
});

env('one function: name or slug, whole, any case', () => {
  const e = { name: 'Bootcamp', slug: 'bootcamp' };
  assert.ok(sameEnvironment('bootcamp', e));
  assert.ok(sameEnvironment('BOOTCAMP', e));
  assert.ok(sameEnvironment(' bootcamp ', e));
  assert.not.ok(sameEnvironment('bootcamp', { name: 'bootcamp-staging', slug: 'bootcamp-staging' }));
  assert.not.ok(sameEnvironment('bootcamp-staging', e));
  assert.not.ok(sameEnvironment('boot', e));
  assert.not.ok(sameEnvironment('', e));
});

env('"bootcamp-staging" is not "bootcamp": the doctor fails, the smoke does not send, setup saves nothing', async ({ clouds, h }) => {
  const vars = { HONEYCOMB_API_KEY: STAGING, HONEYCOMB_API_ENDPOINT: h.url, HONEYCOMB_ENVIRONMENT: 'bootcamp' };
  const doctor = await runCheck(honeycombAuth, clouds.settings(vars));
  assert.is(doctor.status, 'fail');
  assert.match(doctor.detail, /writes to team "Cruddur Bootcamp", environment "bootcamp-staging", region US, but HONEYCOMB_ENVIRONMENT is "bootcamp": data lands in "bootcamp-staging", not "bootcamp"/);
  const { report } = await smoke(['--hops', 'honeycomb', '--timeout', '3'], { term: silentTerm(), settings: clouds.settings(vars) });
  assert.not.ok(report!.hops[0]!.sent);
  assert.match(report!.hops[0]!.error!, /belongs to environment "bootcamp-staging" of team "Cruddur Bootcamp", not "bootcamp"/);
  const out = new PassThrough();
  let printed = '';
  out.on('data', (d) => (printed += d));
  const dotenvPath = join(mkdtempSync(join(tmpdir(), 'boundary-')), '.env');
  const code = await setup(['--non-interactive'], { env: { HOME: '/nonexistent', PATH: process.env.PATH, ...vars, ...AWS, AWS_ENDPOINT_URL_STS: clouds.sts.url }, dotenvPath, output: out });
  assert.is(code, 1);
  assert.match(printed, /the key writes to environment "bootcamp-staging", not "bootcamp"/);
});

env('"Bootcamp" (its name) and "bootcamp" (its slug) are the same environment: all three pass', async ({ clouds, h }) => {
  const vars = { HONEYCOMB_API_KEY: CAPS, HONEYCOMB_API_ENDPOINT: h.url, HONEYCOMB_ENVIRONMENT: 'bootcamp' };
  assert.is((await runCheck(honeycombAuth, clouds.settings(vars))).status, 'pass');
  const { report } = await smoke(['--hops', 'honeycomb', '--timeout', '3'], { term: silentTerm(), settings: clouds.settings(vars) });
  assert.ok(report!.hops[0]!.sent, report!.hops[0]!.error);
});

env.run();

const containers = suite('the collector container, against what was saved');
const KEY = `hcxlk_${'01jsavedkey'.padEnd(26, '0')}`;
const collectorWith = (envList: string[]) => ({ Name: 'w-otel-collector-1', Service: 'otel-collector', State: 'running', Env: envList });

containers('created before the key was saved (compose gave it HONEYCOMB_API_KEY=""): fails, and says to recreate it', async () => {
  const cli = fakeCli({ engine: 'running', containers: [collectorWith(['HONEYCOMB_API_KEY=', 'PATH=/usr/bin'])] }, ['docker']);
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env }, { HONEYCOMB_API_KEY: KEY }));
  assert.is(r.status, 'fail', r.detail);
  assert.match(r.detail, new RegExp(`container otel-collector has no HONEYCOMB_API_KEY \\(\\.env has #${fingerprint(KEY)}\\)`));
  assert.match(r.fix!, /docker compose up -d --force-recreate otel-collector/);
});

containers('with the same key: passes; with no variable at all: fails the same way', async () => {
  let cli = fakeCli({ engine: 'running', containers: [collectorWith([`HONEYCOMB_API_KEY=${KEY}`])] }, ['docker']);
  assert.is((await runCheck(workspaceSecrets, loadSettings({ ...cli.env }, { HONEYCOMB_API_KEY: KEY }))).status, 'pass');
  cli = fakeCli({ engine: 'running', containers: [collectorWith(['PATH=/usr/bin'])] }, ['docker']);
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env }, { HONEYCOMB_API_KEY: KEY }));
  assert.is(r.status, 'fail');
  assert.match(r.detail, /container otel-collector has no HONEYCOMB_API_KEY/);
});

containers.run();

const filter = suite<{ clouds: Clouds }>('the X-Ray group’s filter');
filter.before(async (ctx) => {
  ctx.clouds = await startClouds();
});
filter.after(({ clouds }) => clouds.close());

filter('one the doctor cannot evaluate warns (never passes), and says the filter that works', async ({ clouds }) => {
  clouds.xray.addGroup('Slow', 'service("backend-flask") AND responsetime > 1');
  const r = await runCheck(xrayGroup, clouds.settings({ XRAY_GROUP: 'Slow' }));
  assert.is(r.status, 'warn');
  assert.match(r.detail, /has filter service\("backend-flask"\) AND responsetime > 1, which this check cannot evaluate/);
  assert.match(r.fix!, /set the filter to service\("backend-flask"\)/);
});

filter('the nearest filters on either side: the service itself passes, a near-miss name fails', async ({ clouds }) => {
  clouds.xray.addGroup('Near', 'service("backend-flask-ts")');
  assert.is((await runCheck(xrayGroup, clouds.settings())).status, 'pass');
  const near = await runCheck(xrayGroup, clouds.settings({ XRAY_GROUP: 'Near' }));
  assert.is(near.status, 'fail');
  assert.match(near.detail, /group "Near"'s filter service\("backend-flask-ts"\) does not select service "backend-flask"/);
});

filter('the smoke’s X-Ray poll, answered at once with nothing, ends within --timeout', async ({ clouds }) => {
  clouds.xray.setIndexingDelay(600_000);
  try {
    const started = performance.now();
    const { report } = await smoke(['--hops', 'xray', '--timeout', '2'], { term: silentTerm(), settings: clouds.settings(), overrides: { pollMs: 50 } });
    const took = performance.now() - started;
    assert.ok(took < 3200, `took ${Math.round(took)} ms for --timeout 2`);
    assert.not.ok(report!.hops[0]!.confirmed);
  } finally {
    clouds.xray.setIndexingDelay(0);
  }
});

filter.run();
