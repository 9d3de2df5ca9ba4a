import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runScript } from '../../../testkit/cli.ts';
import { KEYS } from '../../../testkit/honeycomb.ts';
import { startWorld, type World } from '../world.ts';

const cli = (args: string[], env: Record<string, string | undefined>) => runScript('scripts/smoke/main.ts', args, env);

// A home with no ~/.aws: a fresh laptop or CI runner with no cloud account.
const cleanEnv = () => ({ HOME: mkdtempSync(join(tmpdir(), 'cruddur-home-')) });

const local = suite('npm run smoke, local default');

local('with no credentials it runs the local default and draws the waterfall', async () => {
  const { code, stdout, stderr } = await cli([], cleanEnv());
  assert.is(code, 0, stdout + stderr);
  assert.match(stdout, /running the local default/);
  assert.match(stdout, /home-activities-mock-data .*█/);
  assert.match(stdout, /user-activities-mock-data .*app\.user_handle=andrewbrown/);
  assert.match(stdout, /✔ the backend joined the trace: 2\/2 server spans/);
  assert.match(stdout, /✔ the local pipeline works/);
});

local('--json prints only a JSON report of the local hop', async () => {
  const { code, stdout } = await cli(['--json'], cleanEnv());
  assert.is(code, 0);
  const report = JSON.parse(stdout);
  assert.is(report.ok, true);
  assert.is(report.mode, 'local');
  assert.is(report.hops.length, 1);
  const [hop] = report.hops;
  assert.equal(Object.keys(hop).sort(), ['confirmed', 'hop', 'links', 'ms', 'sent', 'smokeId', 'traceId'].sort());
  assert.is(hop.confirmed, true);
  assert.is(report.settings.OTEL_SERVICE_NAME.source, 'default');
});

local('bad options are one line naming the problem, exit code 1', async () => {
  for (const [args, said] of [
    [['--hops', 'honeycomb,carrier-pigeon'], /--hops takes honeycomb, xray, collector, backend/],
    [['--timeout', 'soon'], /--timeout takes a number of seconds from 1 to 600; got "soon"/],
    [['--timeout', '5000000'], /--timeout takes a number of seconds from 1 to 600; got "5000000"/],
    [['--timeout', '0'], /--timeout takes a number of seconds from 1 to 600; got "0"/],
    [['--frobnicate'], /Unknown option '--frobnicate' \(see --help\)/],
  ] as const) {
    const { code, stdout, stderr } = await cli([...args], cleanEnv());
    assert.is(code, 1);
    assert.is(stdout, '');
    assert.match(stderr, said);
    assert.not.match(stderr, /could not run/, 'a usage error is the student’s to fix, not the smoke failing');
    assert.is(stderr.trim().split('\n').length, 1, 'one line, no stack');
  }
});

local('--help prints usage and the options', async () => {
  const { code, stdout } = await cli(['--help'], cleanEnv());
  assert.is(code, 0);
  assert.match(stdout, /^Usage: npm run smoke/);
  assert.match(stdout, /--hops LIST/);
});

local.run();

const remote = suite<{ world: World }>('npm run smoke, from the command line');
remote.before(async (ctx) => {
  ctx.world = await startWorld();
});
remote.after(async (ctx) => {
  await ctx.world.close();
});

remote('--json with credentials: every hop, secrets masked, exit 0', async ({ world }) => {
  // A configuration key: confirmed by the dataset's last write, in seconds. (An Enterprise key
  // waits for Honeycomb's minute to end; remote.test.ts runs that path on a shortened minute.)
  const env = world.env({ HONEYCOMB_API_KEY: KEYS.config });
  const { code, stdout, stderr } = await cli(['--json', '--hops', 'honeycomb,xray'], env);
  assert.is(code, 0, stderr);
  const report = JSON.parse(stdout);
  assert.is(report.mode, 'remote');
  assert.equal(report.hops.map((h: { hop: string; confirmed: boolean }) => [h.hop, h.confirmed]), [['honeycomb', true], ['xray', true]]);
  assert.is(report.settings.HONEYCOMB_API_ENDPOINT.value, world.honeycomb.url);
  assert.match(report.settings.HONEYCOMB_API_KEY.value, /^hcxlk_…#[0-9a-f]{8}$/);
  for (const secret of [env.HONEYCOMB_API_KEY!, env.AWS_SECRET_ACCESS_KEY!]) {
    assert.not.ok((stdout + stderr).includes(secret), 'no secret in the output');
  }
});

remote('a hop that is not confirmed exits 1 and says why on the terminal', async ({ world }) => {
  world.collector.setDeliver(false);
  const { code, stdout } = await cli(['--hops', 'collector', '--timeout', '2'], world.env());
  world.collector.setDeliver(true);
  assert.is(code, 1);
  assert.match(stdout, /collector: not confirmed/);
  assert.match(stdout, /likely cause:/);
  assert.match(stdout, /✘ smoke failed/);
  assert.not.ok(stdout.includes(world.env().HONEYCOMB_API_KEY!));
});

remote('with no key and no AWS credentials, a hop named with --hops has nowhere to be confirmed: not confirmed, exit 1, and it says so', async ({ world }) => {
  // The collector takes the spans (it answers 200) and delivers them nowhere the smoke can look.
  const env = { ...cleanEnv(), OTEL_COLLECTOR_URL: world.collector.url, BACKEND_URL: world.backend.url };
  for (const hop of ['collector', 'backend']) {
    const { code, stdout } = await cli(['--hops', hop, '--json', '--timeout', '5'], env);
    const report = JSON.parse(stdout);
    assert.is(code, 1, `${hop}: exit 1`);
    assert.is(report.ok, false);
    const [result] = report.hops;
    assert.equal([result.hop, result.sent, result.confirmed], [hop, true, false]);
    assert.match(result.error, /^not confirmed: nowhere to look/);
    assert.match(result.error, /no HONEYCOMB_API_KEY and no AWS credentials.*npm run setup/);
    assert.is(result.cause, undefined, 'no cause about other hops: there is nothing to compare');
  }
  const { stdout } = await cli(['--hops', 'collector', '--timeout', '5'], env);
  assert.match(stdout, /collector: not confirmed/);
  assert.match(stdout, /✘ smoke failed/);
});

remote('a hung X-Ray or collector cannot hold the command past its deadline, nor the exporter retrying a send already judged after the verdict', async ({ world }) => {
  const { listen } = await import('../../../testkit/http.ts');
  const hung = await listen(() => {});
  try {
    // [--hops, --timeout, what hangs, the error, the longest the command may take]. The collector's
    // exporter would retry to its own 5 s limit: the command took 5.5 s for --timeout 2 when it waited.
    const cases = [
      ['xray,collector', '3', { AWS_ENDPOINT_URL_XRAY: hung.url }, /Timed out after 3s/, 5000],
      ['collector', '2', { OTEL_COLLECTOR_URL: hung.url }, /Timed out after 2s waiting for its send to answer/, 5000],
    ] as const;
    for (const [hops, timeout, hangs, said, most] of cases) {
      const started = performance.now();
      const { code, stdout } = await cli(['--hops', hops, '--timeout', timeout, '--json'], world.env(hangs));
      const took = performance.now() - started;
      assert.is(code, 1);
      assert.match(JSON.parse(stdout).errors.join('\n'), said);
      assert.ok(took < most, `--hops ${hops}: the whole command took ${Math.round(took)} ms for --timeout ${timeout}`);
    }
  } finally {
    await hung.close();
  }
});

remote.run();
