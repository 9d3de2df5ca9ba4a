// Every paged AWS call the project makes, with what it seeks on a later page: the answer must
// be read to the end, or to the item sought. Page behaviour per the SDK model's documentation
// (DescribeLogGroups: up to 50 a page; FilterLogEvents: pages "partially full, or even empty"
// with a nextToken; X-Ray's GetTraceSummaries, BatchGetTraces, GetSamplingRules: NextToken).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { logsGroup, logsRecent } from '../doctor/checks/cloudwatch-logs.ts';
import { xrayRecentTraces } from '../doctor/checks/xray-traces.ts';
import { ensureXray } from '../lib/aws/xray-setup.ts';
import { silentTerm } from '../lib/terminal/term.ts';
import { smoke } from '../smoke/main.ts';
import { runCheck } from './doctor/helpers.ts';
import { startWorld, type World } from './world.ts';

const t = suite<{ world: World }>('paged AWS answers, read past the first page');
t.before(async (ctx) => {
  ctx.world = await startWorld({ cloudwatchLogs: true });
});
t.after(({ world }) => world.close());
t.after.each(({ world }) => {
  world.logs.setEmptyPagesFirst(0);
  world.xray.setEmptySummaryPages(0);
  world.xray.setPageSize(100);
  world.xray.setIndexingDelay(0);
});

const ON = { CLOUDWATCH_LOGS: 'true' };

t('DescribeLogGroups: among 60 groups of the same prefix, the group is found, on the first page as ASCII order puts it', async ({ world }) => {
  // "The results are ASCII-sorted by log group name" (the SDK model): the exact name is the
  // first name with itself as the prefix, so the first page always holds it.
  for (let i = 0; i < 60; i++) world.logs.addGroup(`cruddur-${String(i).padStart(2, '0')}`, 3);
  world.logs.addGroup('cruddur', 3);
  const before = world.logs.calls.filter((c) => c === 'DescribeLogGroups').length;
  const r = await runCheck(logsGroup, world.settings(ON));
  assert.is(r.status, 'pass', r.detail);
  assert.is(world.logs.calls.filter((c) => c === 'DescribeLogGroups').length - before, 1, 'one page was enough');
});

t('FilterLogEvents: empty pages with a nextToken first, then the events: the doctor and the smoke find them', async ({ world }) => {
  // The backend logs a request line through the collector to the workspace's stream.
  await world.backend.get('/api/activities/home');
  const smokeRun = async () => {
    const { report } = await smoke(['--hops', 'logs', '--timeout', '8'], { term: silentTerm(), settings: world.settings(ON), overrides: { pollMs: 50, minuteMs: world.honeycomb.minuteMs } });
    return report!.hops[0]!;
  };
  world.logs.setEmptyPagesFirst(3);
  const hop = await smokeRun();
  assert.ok(hop.confirmed, hop.error);
  assert.match(hop.evidence!, /found by smoke id in CloudWatch Logs group cruddur/);
  const recent = await runCheck(logsRecent, world.settings(ON));
  assert.is(recent.status, 'pass', recent.detail);
});

t('GetTraceSummaries: empty pages first, then the smoke trace: the smoke confirms it, the doctor counts it', async ({ world }) => {
  world.xray.setEmptySummaryPages(2);
  const { report } = await smoke(['--hops', 'xray', '--timeout', '6'], { term: silentTerm(), settings: world.settings(), overrides: { pollMs: 50, minuteMs: world.honeycomb.minuteMs } });
  assert.ok(report!.hops[0]!.confirmed, report!.hops[0]!.error);
  world.xray.setPageSize(1);
  const r = await runCheck(xrayRecentTraces, world.settings());
  assert.is(r.status, 'pass', r.detail);
  assert.match(r.detail, /^1\+ traces in group "Cruddur"/, 'one page of one, and more pages said');
});

t('BatchGetTraces: a trace whose segments span pages is judged on all of them', async ({ world }) => {
  // The backend's trace: a server segment and subsegment documents (the awsxray exporter's).
  await world.backend.get('/api/activities/@paged');
  world.xray.setPageSize(1);
  world.xray.setIndexingDelay(60_000);
  world.xray.addGroup('Stale', 'service("backend-flask-3000-old.gitpod.io")');
  const { report } = await smoke(['--hops', 'xray', '--timeout', '1'], { term: silentTerm(), settings: world.settings({ XRAY_GROUP: 'Stale' }), overrides: { pollMs: 50, minuteMs: world.honeycomb.minuteMs } });
  const hop = report!.hops[0]!;
  assert.match(hop.error!, /^the trace reached X-Ray as service "backend-flask", which group Stale's filter/);
});

t('GetSamplingRules: the Cruddur rule on the second page is found, not created again', async ({ world }) => {
  world.xray.setPageSize(5);
  const settings = world.settings();
  assert.equal((await ensureXray(settings)).map((s) => s.outcome), ['found', 'created'], 'the group exists; the rule is made once');
  for (let i = 0; i < 12; i++) world.xray.rules.set(`AAA-${i}`, { SamplingRule: { RuleName: `AAA-${i}` } });
  // The rules map keeps insertion order: Cruddur is first; put it after the others.
  const cruddur = world.xray.rules.get('Cruddur')!;
  world.xray.rules.delete('Cruddur');
  world.xray.rules.set('Cruddur', cruddur);
  const again = await ensureXray(settings);
  assert.equal(again.map((s) => `${s.what}: ${s.outcome}`), ['X-Ray group Cruddur: found', 'sampling rule Cruddur: found']);
});

t.run();
