import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runScript } from '../../../testkit/cli.ts';
import { doctor, HELP } from '../../doctor/main.ts';
import { fail, pass, skip, type Check } from '../../doctor/types.ts';
import { loadSettings } from '../../lib/workspace/settings.ts';
import { REPO_ROOT } from '../../lib/workspace/settings.ts';
import { silentTerm } from '../../lib/terminal/term.ts';
import { startClouds, type Clouds } from '../world.ts';

const cli = (args: string[], env: Record<string, string | undefined>) => runScript('scripts/doctor/main.ts', args, env);

const t = suite<{ clouds: Clouds }>('npm run doctor');
t.before(async (ctx) => {
  ctx.clouds = await startClouds();
});
t.after(async (ctx) => {
  await ctx.clouds.close();
});

t('--json --only honeycomb,aws prints only the JSON report, exit 0 when nothing fails', async ({ clouds }) => {
  const { code, stdout, stderr } = await cli(['--json', '--only', 'honeycomb,aws'], clouds.env({ HONEYCOMB_API_KEY: undefined }));
  assert.is(code, 1, 'no key: honeycomb.key fails');
  const report = JSON.parse(stdout);
  assert.is(report.ok, false);
  assert.equal([...new Set(report.checks.map((c: { group: string }) => c.group))], ['honeycomb', 'aws']);
  for (const c of report.checks) assert.ok(['pass', 'warn', 'fail', 'skip'].includes(c.status) && typeof c.detail === 'string' && c.id && c.group);
  assert.is(stderr, '');
});

t('every check passes or warns against healthy clouds, and the key never appears', async ({ clouds }) => {
  const env = clouds.env();
  const { code, stdout } = await cli(['--only', 'honeycomb,aws'], env);
  assert.is(code, 0, stdout);
  assert.match(stdout, /✔ honeycomb\.auth +team "Cruddur Bootcamp", environment "bootcamp", region US/);
  assert.match(stdout, /✔ aws\.credentials +account 123456789012/);
  assert.match(stdout, /\d+ passed, \d+ warnings, 0 failed, \d+ skipped/);
  for (const secret of [env.HONEYCOMB_API_KEY!, env.AWS_SECRET_ACCESS_KEY!]) assert.not.ok(stdout.includes(secret));
});

t('a server that echoes the key back cannot make the doctor print it: every line is redacted', async ({ clouds }) => {
  const { listen } = await import('../../../testkit/http.ts');
  const env = clouds.env();
  const key = env.HONEYCOMB_API_KEY!;
  const echo = await listen((req, res) => res.writeHead(502, { 'content-type': 'text/plain' }).end(`bad gateway for key=${req.headers['x-honeycomb-team']}`));
  try {
    for (const args of [['--only', 'honeycomb'], ['--only', 'honeycomb', '--json']]) {
      const { stdout } = await cli(args, { ...env, HONEYCOMB_API_ENDPOINT: echo.url });
      assert.match(stdout, /bad gateway for key=hcxlk_…#[0-9a-f]{8}/, 'the server’s words, with the key masked');
      assert.not.ok(stdout.includes(key.slice(6)), args.join(' '));
    }
  } finally {
    await echo.close();
  }
});

t('failures print details with a Fix: line each, and exit 1', async ({ clouds }) => {
  const { code, stdout } = await cli(['--only', 'aws'], clouds.env({ XRAY_GROUP: 'Nope' }));
  assert.is(code, 1);
  assert.match(stdout, /What to do\n.*X-Ray group and its filter \(aws\.xray-group\)\n  X-Ray group "Nope" does not exist in us-east-1\n  Fix: npm run doctor -- --fix/);
});

t('--fix creates the X-Ray group and sampling rule once, and finds them the second time', async ({ clouds }) => {
  const env = { XRAY_GROUP: 'CruddurFix' };
  const first = silentTerm();
  let { code } = await doctor(['--fix', '--only', 'aws'], { settings: clouds.settings(env), term: first });
  assert.is(code, 0, first.lines.join('\n'));
  assert.ok(first.lines.some((l) => /^\+ created X-Ray group CruddurFix: filter service\("backend-flask"\)$/.test(l)));
  assert.ok(first.lines.some((l) => /^\+ created sampling rule CruddurFix/.test(l)));
  assert.is(clouds.xray.groups.get('CruddurFix')!.FilterExpression, 'service("backend-flask")');
  const second = silentTerm();
  ({ code } = await doctor(['--fix', '--only', 'aws'], { settings: clouds.settings(env), term: second }));
  assert.ok(second.lines.some((l) => /^= found {3}X-Ray group CruddurFix/.test(l)));
  assert.ok(second.lines.some((l) => /^= found {3}sampling rule CruddurFix/.test(l)));
  assert.is(clouds.xray.rules.size, 1);
});

t('--fix with CLOUDWATCH_LOGS=true creates the log group kept 3 days, then finds it; without it, leaves CloudWatch alone', async ({ clouds }) => {
  const off = silentTerm();
  await doctor(['--fix', '--only', 'aws'], { settings: clouds.settings({ CLOUDWATCH_LOG_GROUP: 'cruddur-fix' }), term: off });
  assert.not.ok(clouds.logs.groups.has('cruddur-fix'));
  const env = { CLOUDWATCH_LOGS: 'true', CLOUDWATCH_LOG_GROUP: 'cruddur-fix' };
  const first = silentTerm();
  await doctor(['--fix', '--only', 'aws'], { settings: clouds.settings(env), term: first });
  assert.ok(first.lines.some((l) => /^\+ created CloudWatch Logs group cruddur-fix: kept 3 days$/.test(l)), first.lines.join('\n'));
  assert.is(clouds.logs.groups.get('cruddur-fix')!.retentionInDays, 3);
  const second = silentTerm();
  await doctor(['--fix', '--only', 'aws'], { settings: clouds.settings(env), term: second });
  assert.ok(second.lines.some((l) => /^= found {3}CloudWatch Logs group cruddur-fix: kept 3 days$/.test(l)), second.lines.join('\n'));
});

t('--fix that AWS denies: the line names the setup, the permission it lacks and the policy to attach', async ({ clouds }) => {
  clouds.xray.deny('CreateGroup');
  try {
    const term = silentTerm();
    await doctor(['--fix', '--only', 'aws'], { settings: clouds.settings({ XRAY_GROUP: 'CruddurDenied' }), term });
    assert.ok(
      term.lines.includes('✘ --fix could not set up X-Ray: AWS denied the setup of X-Ray: the credentials lack xray:CreateGroup. grant xray:CreateGroup to the IAM user or role (for the course: attach AWSXrayFullAccess), then run again'),
      term.lines.join('\n'),
    );
    assert.not.ok(clouds.xray.groups.has('CruddurDenied'));
  } finally {
    clouds.xray.allowAll();
  }
});

t('--fix --json: what it creates is not printed beside the JSON, which stays the only output', async ({ clouds }) => {
  const term = silentTerm();
  let out = '';
  await doctor(['--fix', '--only', 'aws', '--json'], { settings: clouds.settings({ XRAY_GROUP: 'CruddurJson' }), term, stdout: (t) => (out += t) });
  assert.ok(clouds.xray.groups.has('CruddurJson'), 'it did create the group');
  assert.equal(term.lines, []);
  assert.ok(Array.isArray(JSON.parse(out).checks));
});

t('npm run doctor with no option runs every group, in order, and ends in the count', async ({ clouds }) => {
  const { stdout } = await cli([], clouds.env({ BACKEND_URL: 'http://127.0.0.1:9', FRONTEND_URL: 'http://127.0.0.1:9', FRONTEND_SERVER_URL: 'http://127.0.0.1:9', OTEL_COLLECTOR_URL: 'http://127.0.0.1:9', OTEL_COLLECTOR_HEALTH_URL: 'http://127.0.0.1:9/' }));
  const groups = [...stdout.matchAll(/^[✔!✘-] (\w+)\./gm)].map((m) => m[1]);
  assert.equal([...new Set(groups)].sort(), ['aws', 'honeycomb', 'stack', 'workspace'], stdout);
  assert.match(stdout, /\n\d+ passed, \d+ warnings, \d+ failed, \d+ skipped \(\d+\.\d s\)/);
});

t('a bad --only is one line on stderr and exit 1', async ({ clouds }) => {
  const { code, stdout, stderr } = await cli(['--only', 'honeycomb,kubernetes'], clouds.env());
  assert.is(code, 1);
  assert.is(stdout, '');
  assert.is(stderr.trim(), '--only takes honeycomb, aws, workspace, stack (comma-separated); got "honeycomb,kubernetes"');
});

t.run();

const startup = suite('npm run doctor, start-up');

/** The modules a run of the doctor resolves, recorded by a module hook on Node's main thread. */
function modulesLoaded(args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'doctor-modules-'));
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(hooks, `import { registerHooks } from 'node:module';\nimport { writeFileSync } from 'node:fs';\nconst seen = [];\nregisterHooks({ resolve(s, c, next) { const r = next(s, c); seen.push(r.url); return r; } });\nprocess.on('exit', () => writeFileSync(${JSON.stringify(join(dir, 'seen.txt'))}, seen.join('\\n')));\n`);
  spawnSync(process.execPath, ['--import', hooks, 'scripts/doctor/main.ts', ...args], { cwd: REPO_ROOT, env: { PATH: process.env.PATH, HOME: '/nonexistent' }, encoding: 'utf8' });
  return readFileSync(join(dir, 'seen.txt'), 'utf8').split('\n');
}

startup('--help loads neither the checks nor the AWS SDK; a group loads its own checks, and the SDK only for AWS', () => {
  const help = modulesLoaded(['--help']);
  assert.ok(help.some((u) => u.endsWith('scripts/doctor/main.ts')), 'the hook saw the doctor itself');
  assert.not.ok(help.some((u) => u.includes('@aws-sdk') || u.includes('/doctor/checks/')), help.filter((u) => u.includes('@aws-sdk') || u.includes('/checks/')).slice(0, 3).join(', '));
  const honeycomb = modulesLoaded(['--only', 'honeycomb', '--json']);
  assert.ok(honeycomb.some((u) => u.endsWith('/doctor/checks/honeycomb-key.ts')), 'the group’s checks load');
  assert.not.ok(honeycomb.some((u) => u.includes('@aws-sdk') || u.endsWith('/doctor/checks/xray-traces.ts') || u.includes('/execa/')), honeycomb.filter((u) => u.includes('@aws-sdk') || u.includes('/execa/') || u.includes('/checks/x')).slice(0, 3).join(', '));
  // Two plain commands need no execa (111 modules, 75 ms): node:child_process runs them.
  const workspace = modulesLoaded(['--only', 'workspace', '--json']);
  assert.ok(workspace.some((u) => u.endsWith('/doctor/checks/workspace-secrets.ts')), 'the workspace checks load');
  assert.not.ok(workspace.some((u) => u.includes('/execa/')), 'execa is not loaded');
  // The local files check lists files; DuckDB (45 ms) loads only for a query over them.
  assert.ok(workspace.some((u) => u.endsWith('/lib/local/store.ts')), 'the local files check loads the store');
  assert.not.ok(workspace.some((u) => u.includes('@duckdb')), 'DuckDB is not loaded');
  const aws = modulesLoaded(['--only', 'aws', '--json']);
  assert.ok(aws.some((u) => u.includes('@aws-sdk/client-xray')), 'the AWS group loads the SDK');
  assert.not.ok(aws.some((u) => u.includes('@aws-sdk/client-cloudwatch-logs')), 'CloudWatch Logs is off by default: its client does not load');
});

startup.run();

const report = suite('npm run doctor, the report a student reads');

const KEY = `hcxlk_${'01jreportkey'.padEnd(26, '0')}`;
const checks: Check[] = [
  { id: 'demo.pass', group: 'workspace', title: 'a passing one', run: async () => pass('all good', { docs: 'https://example.com/pass' }) },
  { id: 'demo.warn', group: 'workspace', title: 'an optional one', required: false, run: async () => fail(`optional, failed with ${KEY}`, `rotate ${KEY}`) },
  { id: 'demo.fail', group: 'workspace', title: 'a required one', run: async () => fail('it broke', 'fix it like this', { console: 'https://example.com/fail' }) },
  { id: 'demo.skip', group: 'workspace', title: 'a skipped one', run: async () => skip('needs the key') },
];

report('each check is one line with its icon, then What to do (warnings and failures, in check order, each with its Fix), the links, and the count', async () => {
  const term = silentTerm();
  const dir = mkdtempSync(join(tmpdir(), 'doctor-start-'));
  const { code, results } = await doctor([], { settings: loadSettings({ HONEYCOMB_API_KEY: KEY }, {}), term, checks, startDir: dir });
  assert.is(code, 1, 'a required check failed');
  assert.equal(results.map((r) => [r.id, r.status]), [['demo.pass', 'pass'], ['demo.warn', 'warn'], ['demo.fail', 'fail'], ['demo.skip', 'skip']]);
  const text = term.lines.join('\n');
  assert.not.ok(text.includes(KEY.slice(6)), 'a key in a detail or a fix is masked');
  const lines = text.replace(/hcxlk_…#[0-9a-f]{8}/g, 'KEY').replace(/\(0\.\d s\)$/, '(T)').split('\n');
  // The progress line goes to the terminal's progress, not into the report.
  assert.equal(lines.slice(0, 4).sort(), ['! demo.warn                optional, failed with KEY', '- demo.skip                needs the key', '✔ demo.pass                all good', '✘ demo.fail                it broke'].sort());
  assert.equal(lines.slice(4), [
    '',
    'What to do',
    '! an optional one (demo.warn)',
    '  optional, failed with KEY',
    '  Fix: rotate KEY',
    '✘ a required one (demo.fail)',
    '  it broke',
    '  Fix: fix it like this',
    '',
    'Links',
    '  demo.pass docs: https://example.com/pass',
    '  demo.fail console: https://example.com/fail',
    '',
    '1 passed, 1 warnings, 1 failed, 1 skipped (T)',
  ]);
});

report('only warnings: exit 0, and the last workspace start is named with its hops', async () => {
  const term = silentTerm();
  const dir = mkdtempSync(join(tmpdir(), 'doctor-start-'));
  writeFileSync(join(dir, 'verdict.json'), JSON.stringify({ startedAt: '2026-12-07T06:00:00.000Z', ok: false, lines: [{ ok: true, text: 'a' }, { ok: false, text: 'b' }, { ok: true, text: 'c' }] }));
  const { code } = await doctor([], { settings: loadSettings({}, {}), term, checks: checks.slice(0, 2), startDir: dir });
  assert.is(code, 0);
  assert.is(term.lines.at(-1), 'last workspace start (2026-12-07T06:00:00.000Z): failed, 2/3 hops; the verdict is in .cruddur/start/verdict.txt');
});

report('--json: the checks in order, each with its id, group, status, detail, fix and links, masked; ok false when one fails; nothing else printed', async () => {
  const term = silentTerm();
  let out = '';
  const { code } = await doctor(['--json'], { settings: loadSettings({ HONEYCOMB_API_KEY: KEY }, {}), term, checks, stdout: (s) => (out += s) });
  assert.is(code, 1);
  assert.equal(term.lines, [], 'no report lines beside the JSON');
  const json = JSON.parse(out);
  assert.is(json.ok, false);
  // What a check did not give is left out (links of a check without any, a fix of a pass).
  assert.equal(json.checks.map((c: Record<string, unknown>) => Object.keys(c).sort().join(',')), ['detail,group,id,links,status', 'detail,fix,group,id,status', 'detail,fix,group,id,links,status', 'detail,group,id,status']);
  assert.equal(json.checks[1], { id: 'demo.warn', group: 'workspace', status: 'warn', detail: json.checks[1].detail, fix: json.checks[1].fix });
  assert.match(json.checks[1].detail, /^optional, failed with hcxlk_…#[0-9a-f]{8}$/);
  assert.equal(json.checks[2].links, { console: 'https://example.com/fail' });
});

report('--help prints the usage and runs nothing', async () => {
  let out = '';
  let ran = false;
  const { code, results } = await doctor(['--help'], { settings: loadSettings({}, {}), term: silentTerm(), checks: [{ id: 'x', group: 'stack', title: 'x', run: async () => ((ran = true), pass('x')) }], stdout: (s) => (out += s) });
  assert.equal([code, results, ran], [0, [], false]);
  assert.is(out, `${HELP}\n`);
  assert.match(out, /--only GROUPS {3}honeycomb,aws,workspace,stack/);
});


/** A terminal that keeps its progress lines too. */
const recording = () => {
  const term = silentTerm();
  const progress: string[] = [];
  return { term: { ...term, progress: (l: string) => void progress.push(l) }, lines: term.lines, progress };
};

report('all passing: no What to do, no Links, the progress says how many run at once; a passed start is named passed', async () => {
  const { term, lines, progress } = recording();
  const dir = mkdtempSync(join(tmpdir(), 'doctor-start-'));
  writeFileSync(join(dir, 'verdict.json'), JSON.stringify({ startedAt: '2026-12-07T06:00:00.000Z', ok: true, lines: [{ ok: true, text: 'a' }] }));
  const fine = (id: string): Check => ({ id, group: 'stack', title: id, run: async () => pass('fine') });
  const { code } = await doctor([], { settings: loadSettings({}, {}), term, checks: [fine('a'), fine('b')], startDir: dir });
  assert.is(code, 0);
  assert.equal(progress, ['checking 2 things at once…']);
  assert.not.match(lines.join('\n'), /What to do|Links/);
  assert.is(lines.at(-1), 'last workspace start (2026-12-07T06:00:00.000Z): passed, 1/1 hops; the verdict is in .cruddur/start/verdict.txt');
});

report('a failure without a fix prints no Fix line, and a run without links no Links heading', async () => {
  const { term, lines } = recording();
  await doctor([], { settings: loadSettings({}, {}), term, checks: [{ id: 'bare', group: 'stack', title: 'bare', run: async () => ({ status: 'fail', detail: 'no fix known' }) }], startDir: mkdtempSync(join(tmpdir(), 'doctor-start-')) });
  const text = lines.join('\n');
  assert.match(text, /✘ bare \(bare\)\n  no fix known\n\n0 passed/);
  assert.not.match(text, /Fix:|Links/);
});

report('--only keeps the checks of those groups, even from a given list; --json shows no progress', async () => {
  const { term, progress } = recording();
  let out = '';
  const given: Check[] = [checks[0]!, { id: 'stack.one', group: 'stack', title: 'one', run: async () => pass('up') }];
  const { results } = await doctor(['--only', 'stack', '--json'], { settings: loadSettings({}, {}), term, checks: given, stdout: (s) => (out += s) });
  assert.equal(results.map((r) => r.id), ['stack.one']);
  assert.equal(JSON.parse(out).checks.map((c: { id: string }) => c.id), ['stack.one']);
  assert.equal(progress, []);
});

report('--fix when AWS cannot be reached: one line per setup that failed, with its cause and fix, and the checks still run; --json prints only the JSON', async () => {
  const env = { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', CLOUDWATCH_LOGS: 'true' };
  const { term, lines } = recording();
  const { results } = await doctor(['--fix', '--only', 'stack'], { settings: loadSettings(env, {}), term, checks: [{ id: 'stack.one', group: 'stack', title: 'one', run: async () => pass('up') }], startDir: mkdtempSync(join(tmpdir(), 'doctor-start-')) });
  assert.equal(results.map((r) => r.status), ['pass'], 'the checks run after a failed fix');
  const failed = lines.filter((l) => l.startsWith('✘ --fix could not set up'));
  assert.equal(failed.map((l) => l.split(':')[0]), ['✘ --fix could not set up X-Ray', '✘ --fix could not set up the CloudWatch Logs group']);
  for (const l of failed) assert.match(l, /: .+\. .+/, 'a cause and a fix');
  const json = recording();
  let out = '';
  await doctor(['--fix', '--only', 'stack', '--json'], { settings: loadSettings(env, {}), term: json.term, checks: [{ id: 'stack.one', group: 'stack', title: 'one', run: async () => pass('up') }], stdout: (s) => (out += s) });
  assert.equal(json.lines, []);
  assert.is(JSON.parse(out).ok, true);
});

report.run();
