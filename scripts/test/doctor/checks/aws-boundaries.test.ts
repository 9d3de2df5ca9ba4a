// The AWS checks at each boundary, against the fakes: region names just inside and outside
// AWS's form, AWS_REGION beside AWS_DEFAULT_REGION, credentials but CloudWatch off, a stream
// not made yet, a failed read, and the words and titles the doctor prints for each.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { awsCredentials, awsRegion } from '../../../doctor/checks/aws-credentials.ts';
import { logsDestination, logsGroup, logsRecent } from '../../../doctor/checks/cloudwatch-logs.ts';
import { xrayGroup } from '../../../doctor/checks/xray-group.ts';
import { xrayRecentTraces } from '../../../doctor/checks/xray-traces.ts';
import { doctor } from '../../../doctor/main.ts';
import { loadSettings } from '../../../lib/workspace/settings.ts';
import { silentTerm } from '../../../lib/terminal/term.ts';
import { startClouds, type Clouds } from '../../world.ts';
import { runCheck } from '../helpers.ts';

const region = suite('aws.region');

region('region names as AWS forms them pass, near misses fail with the fix', async () => {
  for (const name of ['us-east-1', 'ap-southeast-3', 'us-gov-west-1', 'us-iso-east-1', 'us-isob-east-1']) {
    const r = await runCheck(awsRegion, loadSettings({ AWS_REGION: name }, {}));
    assert.is(r.status, 'pass', name);
    assert.is(r.detail, `${name} (AWS_REGION from environment, as the collector gets it)`);
  }
  for (const name of ['us-east-1a', 'xus-east-1', 'US-EAST-1', 'us-east-12', 'N. Virginia', 'us-gov-west']) {
    const r = await runCheck(awsRegion, loadSettings({ AWS_REGION: name }, {}));
    assert.is(r.status, 'fail', name);
    assert.is(r.detail, `AWS_REGION="${name}" is not a region name`);
    assert.is(r.fix, 'use a region code such as us-east-1 (not a zone like us-east-1a, nor a name like "N. Virginia")');
  }
});

region('neither variable: a warning that says where the collector exports, and how to change it', async () => {
  const r = await runCheck(awsRegion, loadSettings({}, {}));
  assert.is(r.status, 'warn');
  assert.is(r.detail, "neither AWS_REGION nor AWS_DEFAULT_REGION is set: the collector exports to us-east-1, compose's default, and these checks look there");
  assert.is(r.fix, 'if your X-Ray group is elsewhere, set AWS_REGION with npm run setup, then docker compose up -d otel-collector');
});

region('AWS_DEFAULT_REGION beside AWS_REGION is named as ignored only when it differs', async () => {
  const same = await runCheck(awsRegion, loadSettings({ AWS_REGION: 'eu-west-2', AWS_DEFAULT_REGION: 'eu-west-2' }, {}));
  assert.is(same.detail, 'eu-west-2 (AWS_REGION from environment, as the collector gets it)');
  const alone = await runCheck(awsRegion, loadSettings({}, { AWS_DEFAULT_REGION: 'eu-west-2' }));
  assert.is(alone.detail, 'eu-west-2 (AWS_DEFAULT_REGION from .env, as the collector gets it)');
});

region.run();

const t = suite<{ clouds: Clouds }>('aws checks at their boundaries');
t.before(async (ctx) => {
  ctx.clouds = await startClouds();
});
t.after(({ clouds }) => clouds.close());
const ON = { CLOUDWATCH_LOGS: 'true' };

t('without credentials the X-Ray and CloudWatch checks skip, saying what they need; nothing is called', async ({ clouds }) => {
  const none = loadSettings({ HOME: '/nonexistent', CLOUDWATCH_LOGS: 'true' }, {});
  const before = clouds.xray.calls.length + clouds.logs.calls.length;
  const group = await runCheck(xrayGroup, none);
  assert.equal([group.status, group.detail], ['skip', 'needs AWS credentials (see aws.credentials)']);
  for (const check of [logsGroup, logsRecent]) {
    const r = await runCheck(check, none);
    assert.equal([r.status, r.detail], ['skip', 'needs AWS credentials (see aws.credentials)'], check.id);
  }
  assert.is(clouds.xray.calls.length + clouds.logs.calls.length, before);
  // With credentials and CloudWatch off, the CloudWatch checks skip for that reason instead.
  const off = await runCheck(logsRecent, clouds.settings());
  assert.equal([off.status, off.detail], ['skip', 'CLOUDWATCH_LOGS is not true: logs go to Honeycomb only']);
});

t('logs to CloudWatch: the destination says the group and stream they go to', async ({ clouds }) => {
  const r = await runCheck(logsDestination, clouds.settings({ ...ON, CLOUDWATCH_LOG_GROUP: 'week2', CLOUDWATCH_LOG_STREAM: 'ws-1' }));
  assert.equal([r.status, r.detail], ['pass', 'to Honeycomb and CloudWatch Logs group week2, stream ws-1']);
});

t('a failed group lookup fails the group check with its cause; the recent-logs check then skips', async ({ clouds }) => {
  clouds.logs.deny('DescribeLogGroups');
  try {
    const r = await runCheck(logsGroup, clouds.settings(ON));
    assert.is(r.status, 'fail');
    assert.match(r.detail, /AWS denied logs:DescribeLogGroups/);
    const recent = await runCheck(logsRecent, clouds.settings(ON));
    assert.equal([recent.status, recent.detail], ['skip', 'no log group (see aws.logs-group)']);
  } finally {
    clouds.logs.allowAll();
  }
  // A group not made yet: the lookup answers, with nothing; the recent-logs check skips the same way.
  const none = await runCheck(logsRecent, clouds.settings({ ...ON, CLOUDWATCH_LOG_GROUP: 'not-made-yet' }));
  assert.equal([none.status, none.detail], ['skip', 'no log group (see aws.logs-group)']);
});

t('the group’s test event says what wrote it; a group kept forever warns with the retention --fix sets', async ({ clouds }) => {
  clouds.logs.addGroup('forever');
  const r = await runCheck(logsGroup, clouds.settings({ ...ON, CLOUDWATCH_LOG_GROUP: 'forever' }));
  assert.is(r.status, 'warn');
  assert.is(r.detail, 'group forever keeps logs forever, and storage is billed (the doctor wrote one event to stream npm-run-doctor)');
  assert.is(r.fix, 'npm run doctor -- --fix sets a 3-day retention');
  const [event] = [...clouds.logs.groups.get('forever')!.streams.values()].flat();
  assert.equal(Object.keys(JSON.parse(event!.message)), ['body', 'at']);
  assert.is(JSON.parse(event!.message).body, 'npm run doctor: the credentials may write here');
});

t('recent logs: a stream the collector has not made yet is "no events", not a failure; a refused read fails with its action', async ({ clouds }) => {
  clouds.logs.addGroup('fresh', 3);
  const settings = clouds.settings({ ...ON, CLOUDWATCH_LOG_GROUP: 'fresh' });
  const r = await runCheck(logsRecent, settings);
  assert.is(r.status, 'warn');
  assert.is(r.detail, 'no events in stream cruddur-workspace in the last 15 minutes');
  assert.is(r.fix, 'open the app (or npm run smoke) so the backend logs something; if it still shows nothing, docker compose logs otel-collector names the awscloudwatchlogs error');
  assert.match(r.links!.group!, /#logsV2:log-groups\/log-group\/fresh$/);
  clouds.logs.deny('FilterLogEvents');
  try {
    const denied = await runCheck(logsRecent, settings);
    assert.is(denied.status, 'warn', 'optional: a failure it finds is a warning');
    assert.match(denied.detail, /AWS denied logs:FilterLogEvents/);
    assert.match(denied.links!.group!, /log-group\/fresh$/);
  } finally {
    clouds.logs.allowAll();
  }
});

t('recent logs with none traced: a warning that counts them and says which logs carry a trace id', async ({ clouds }) => {
  clouds.logs.addGroup('untraced', 3);
  const now = Date.now();
  const ev = (i: number, message: string) => ({ message, timestamp: now, ingestionTime: now, logStreamName: 'cruddur-workspace', eventId: String(i) });
  // A trace id one character short is none.
  clouds.logs.groups.get('untraced')!.streams.set('cruddur-workspace', [ev(1, '{"body":"listening"}'), ev(2, `{"body":"x","trace_id":"${'a'.repeat(31)}"}`)]);
  const r = await runCheck(logsRecent, clouds.settings({ ...ON, CLOUDWATCH_LOG_GROUP: 'untraced' }));
  assert.is(r.status, 'warn');
  assert.is(r.detail, '2 events in stream cruddur-workspace in the last 15 minutes, none with a trace id');
  assert.is(r.fix, 'logs made outside a request carry none; make a request (open the app) and run again');
});

t('the X-Ray group: a filter the check cannot evaluate warns with the links; a pass links the group’s traces', async ({ clouds }) => {
  clouds.xray.addGroup('Slow', 'service("backend-flask") AND responsetime > 1');
  const r = await runCheck(xrayGroup, clouds.settings({ XRAY_GROUP: 'Slow' }));
  assert.is(r.status, 'warn');
  assert.is(r.detail, 'group "Slow" has filter service("backend-flask") AND responsetime > 1, which this check cannot evaluate.');
  assert.is(r.fix, `if traces do not show in the group, set the filter to service("backend-flask"): aws xray update-group --group-name Slow --filter-expression 'service("backend-flask")'`);
  assert.ok(r.links!.traces!.includes(`#xray:traces/query?~(query~(expression~'${encodeURIComponent('service("backend-flask") AND responsetime > 1')}`), r.links!.traces);
  const pass = await runCheck(xrayGroup, clouds.settings());
  assert.ok(pass.links!.traces!.includes(`expression~'${encodeURIComponent('service("backend-flask")')})~context`), pass.links!.traces);
  // A group with no filter expression: said so, with the fix (not "has filter , which…").
  clouds.xray.addGroup('Bare', '');
  const bare = await runCheck(xrayGroup, clouds.settings({ XRAY_GROUP: 'Bare' }));
  assert.equal([bare.status, bare.detail], ['fail', 'group "Bare" in us-east-1 has no filter expression']);
  assert.is(bare.fix, `set the filter to service("backend-flask"): aws xray update-group --group-name Bare --filter-expression 'service("backend-flask")'`);
});

t('recent traces: skipped while the group is missing, unreadable or without a filter; none yet is a warning with what to do', async ({ clouds }) => {
  const why = 'needs the X-Ray group (see aws.xray-group)';
  for (const env of [{ XRAY_GROUP: 'Missing' }, { XRAY_GROUP: 'Bare' }]) {
    clouds.xray.addGroup('Bare', '');
    const r = await runCheck(xrayRecentTraces, clouds.settings(env));
    assert.equal([r.status, r.detail], ['skip', why], env.XRAY_GROUP);
  }
  clouds.xray.addGroup('Empty', 'service("nobody")');
  const none = await runCheck(xrayRecentTraces, clouds.settings({ XRAY_GROUP: 'Empty' }));
  assert.equal([none.status, none.detail, none.fix], ['warn', 'no traces in group "Empty" in the last 15 minutes', 'send some (npm run smoke, or click around the app) and look again; X-Ray can take a minute']);
  clouds.xray.deny('GetGroup');
  try {
    const r = await runCheck(xrayRecentTraces, clouds.settings());
    assert.equal([r.status, r.detail], ['skip', why]);
  } finally {
    clouds.xray.allowAll();
  }
});

t('recent traces: a refused read is named with its action, as a warning (the check is optional)', async ({ clouds }) => {
  clouds.xray.deny('GetTraceSummaries');
  const denied = await runCheck(xrayRecentTraces, clouds.settings());
  assert.is(denied.status, 'warn');
  assert.match(denied.detail, /AWS denied xray:GetTraceSummaries/);
  assert.match(denied.links!.traces!, /#xray:traces\/query/);
});

t('the doctor prints them under the aws group, each with its title', async ({ clouds }) => {
  const checks = [awsCredentials, awsRegion, xrayGroup, xrayRecentTraces, logsDestination, logsGroup, logsRecent];
  const { results } = await doctor(['--only', 'aws'], { settings: clouds.settings({ ...ON, XRAY_GROUP: 'Missing' }), term: silentTerm(), checks, startDir: '/nonexistent' });
  assert.equal(results.map((r) => [r.id, r.group, r.title]), [
    ['aws.credentials', 'aws', 'AWS credentials'],
    ['aws.region', 'aws', 'AWS region'],
    ['aws.xray-group', 'aws', 'X-Ray group and its filter'],
    ['aws.xray-traces', 'aws', 'recent traces in the X-Ray group'],
    ['aws.logs-destination', 'aws', 'Where the backend’s logs go'],
    ['aws.logs-group', 'aws', 'CloudWatch Logs group, and permission to write to it'],
    ['aws.logs-recent', 'aws', 'The backend’s recent logs in CloudWatch Logs'],
  ]);
  // The optional checks (recent traces and logs) warn, and never fail the run on their own.
  const term = silentTerm();
  const { code } = await doctor(['--only', 'aws'], { settings: clouds.settings(), term, checks: [xrayRecentTraces], startDir: '/nonexistent' });
  assert.is(code, 0, term.lines.join('\n'));
});

t.run();
