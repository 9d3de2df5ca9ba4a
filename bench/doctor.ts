// bench/doctor: with every local server answering after 200 ms,
//   1. the doctor's wall time in-process against its slowest single check,
//   2. the manual route a student takes today, one call after another: aws sts
//      get-caller-identity, aws xray get-group, curl of Honeycomb's /1/auth (target: the
//      whole command ≤ 0.30 of it; and ≤ 1.3 × its start-up plus the slowest check),
//   3. the command as npm runs it, start-up included: all checks, --help, and a run with
//      nothing configured (no key: the honeycomb group's checks answer without a call),
//      with the compile cache filled by an earlier run and empty (target < 0.2 s).
//   npm run bench:doctor -- [--runs 5]
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { loadChecks } from '../scripts/doctor/checks/index.ts';
import { GROUPS } from '../scripts/doctor/types.ts';
import { runChecks } from '../scripts/doctor/runner.ts';
import { createShared } from '../scripts/doctor/shared.ts';
import { listen } from '../scripts/lib/net/http-server.ts';
import { loadSettings, REPO_ROOT } from '../scripts/lib/workspace/settings.ts';
import { AWS, startClouds } from '../scripts/test/world.ts';
import { fakeCli } from '../testkit/fake-cli.ts';
import { KEYS } from '../testkit/honeycomb.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const LATENCY = 200;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const run = promisify(execFile);

const CHECKS = await loadChecks(GROUPS);
const clouds = await startClouds();
for (const s of [clouds.honeycomb, clouds.xray, clouds.sts]) s.setLatency(LATENCY);
clouds.honeycomb.addDataset(KEYS.enterprise, 'backend-flask', new Date().toISOString());
// The stack's endpoints, each answering after the same delay (CORS as the collector answers it).
const slow = await listen((req, res) => {
  setTimeout(() => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-origin': String(req.headers.origin), 'access-control-allow-headers': 'content-type, traceparent' }).end();
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"Server available","success":true}');
    }
  }, LATENCY);
});
const collectorEnv = [`HONEYCOMB_API_KEY=${KEYS.enterprise}`, ...Object.entries(AWS).map(([k, v]) => `${k}=${v}`)];
const cli = fakeCli({ engine: 'running', containers: [{ Name: 'c1', Service: 'otel-collector', State: 'running', Env: collectorEnv }] });
const env = clouds.env({
  ...cli.env,
  OTEL_COLLECTOR_URL: slow.url,
  OTEL_COLLECTOR_HEALTH_URL: `${slow.url}/`,
  BACKEND_URL: slow.url,
  FRONTEND_URL: slow.url,
  FRONTEND_SERVER_URL: slow.url, // the one-origin checks: /api and /v1/traces through the front end's server
  AWS_DEFAULT_REGION: AWS.AWS_REGION, // the AWS CLI v1 of the manual route reads this one
});
const settings = () => loadSettings(env, {});

// 1. Each check alone (with the lookups it depends on), then all of them at once.
const single: Record<string, number> = {};
for (const check of CHECKS) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = settings();
    const t0 = performance.now();
    await runChecks([check], { settings: s, shared: createShared(s) });
    times.push(performance.now() - t0);
  }
  single[check.id] = median(times);
}
const slowest = Object.entries(single).sort((a, b) => b[1] - a[1])[0]!;
const wall: number[] = [];
for (let i = 0; i < runs; i++) {
  const s = settings();
  const t0 = performance.now();
  const results = await runChecks(CHECKS, { settings: s, shared: createShared(s) });
  wall.push(performance.now() - t0);
  if (i === 0) console.log(results.map((r) => `${r.id}=${r.status}`).join(' '));
}

// 2. The manual route, one call after another.
const awsEnv = { ...process.env, ...env, PATH: process.env.PATH };
const manual: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  await run('aws', ['sts', 'get-caller-identity', '--endpoint-url', clouds.sts.url], { env: awsEnv });
  await run('aws', ['xray', 'get-group', '--group-name', 'Cruddur', '--endpoint-url', clouds.xray.url], { env: awsEnv });
  await run('curl', ['-sf', '-H', `X-Honeycomb-Team: ${env.HONEYCOMB_API_KEY}`, `${clouds.honeycomb.url}/1/auth`]);
  manual.push(performance.now() - t0);
}

// 3. The command as `npm run doctor` runs it (scripts/launch.js), start-up included.
//    Its compile cache lives in os.tmpdir(): a fresh TMPDIR per run is a first run.
const command = async (args: string[], { env: extra = {}, cache }: { env?: Record<string, string | undefined>; cache: 'cold' | string }) => {
  const times: number[] = [];
  let output = '';
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await new Promise((resolve) => {
      const child = spawn(process.execPath, ['scripts/launch.js', 'scripts/doctor/main.ts', ...args], {
        cwd: REPO_ROOT,
        env: { HOME: mkdtempSync(join(tmpdir(), 'doctor-home-')), PATH: '/nonexistent', ...extra, TMPDIR: cache === 'cold' ? mkdtempSync(join(tmpdir(), 'doctor-tmp-')) : cache },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      output = '';
      child.stdout.on('data', (d) => (output += d));
      child.on('close', resolve);
    });
    times.push(performance.now() - t0);
  }
  return { ms: median(times), output };
};
const warm = mkdtempSync(join(tmpdir(), 'doctor-tmp-'));
await command(['--help'], { cache: warm }); // fills the cache, as any earlier run would
const startup = {
  help: await command(['--help'], { cache: warm }),
  nothing: await command(['--json', '--only', 'honeycomb'], { cache: warm }),
  nothingCold: await command(['--json', '--only', 'honeycomb'], { cache: 'cold' }),
};
const whole = await command(['--json'], { env, cache: warm });
const wholeStatuses = (JSON.parse(whole.output) as { checks: { id: string; status: string }[] }).checks.map((r) => `${r.id}=${r.status}`).join(' ');
await Promise.all([clouds.close(), slow.close()]);

const ms = (x: number) => `${Math.round(x)} ms`;
console.log(`\nevery server answers after ${LATENCY} ms; medians of ${runs} runs`);
console.log('check                    | alone');
for (const [id, t] of Object.entries(single)) console.log(`${id.padEnd(24)} | ${ms(t)}`);
console.log(`\ndoctor, all ${CHECKS.length} checks, in-process: ${ms(median(wall))}`);
console.log(`slowest single check:      ${ms(slowest[1])} (${slowest[0]})`);
console.log(`ratio to the slowest:       ${(median(wall) / slowest[1]).toFixed(2)}`);
console.log(`\nnpm run doctor, as a command (start-up included): ${ms(whole.ms)}`);
console.log(`  ${wholeStatuses}`);
console.log(`ratio to start-up + slowest: ${(whole.ms / (startup.nothing.ms + slowest[1])).toFixed(2)}   target ≤ 1.3`);
console.log(`manual route (3 calls):    ${ms(median(manual))}`);
console.log(`doctor / manual:           ${(whole.ms / median(manual)).toFixed(2)}   target ≤ 0.30`);
console.log(`\nstart-up (compile cache filled by an earlier run, as from the second run on):`);
console.log(`  --help:                   ${ms(startup.help.ms)}`);
console.log(`  nothing to check:         ${ms(startup.nothing.ms)}   target < 200 ms (no key: the honeycomb group answers without a call)`);
console.log(`  nothing to check, first run (empty cache): ${ms(startup.nothingCold.ms)}`);
