import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { logsDestination, logsGroup, logsRecent } from '../../../doctor/checks/cloudwatch-logs.ts';
import { DOCTOR_STREAM } from '../../../lib/aws/cloudwatch-logs.ts';
import { startClouds, type Clouds } from '../../world.ts';
import { runCheck } from '../helpers.ts';

const t = suite<{ clouds: Clouds }>('CloudWatch Logs checks');
t.before(async (ctx) => {
  ctx.clouds = await startClouds();
});
t.after(({ clouds }) => clouds.close());
const ON = { CLOUDWATCH_LOGS: 'true' };

t('with CLOUDWATCH_LOGS false: one line says logs go to Honeycomb only and how to turn CloudWatch on; nothing calls AWS', async ({ clouds }) => {
  const settings = clouds.settings();
  const r = await runCheck(logsDestination, settings);
  assert.is(r.status, 'pass');
  assert.match(r.detail, /to Honeycomb only \(CLOUDWATCH_LOGS=false\)\. For CloudWatch Logs too: set CLOUDWATCH_LOGS=true/);
  assert.is((await runCheck(logsGroup, settings)).status, 'skip');
  assert.is((await runCheck(logsRecent, settings)).status, 'skip');
  assert.equal(clouds.logs.calls, []);
});

t('a value other than true or false fails: compose would name a config file that does not exist', async ({ clouds }) => {
  const r = await runCheck(logsDestination, clouds.settings({ CLOUDWATCH_LOGS: 'yes' }));
  assert.is(r.status, 'fail');
  assert.match(r.detail, /CLOUDWATCH_LOGS="yes" \(CLOUDWATCH_LOGS from environment\) names no collector config/);
  assert.match(r.fix!, /set CLOUDWATCH_LOGS=true or false in \.env/);
});

t('with CLOUDWATCH_LOGS true and no group: fail, and --fix is named', async ({ clouds }) => {
  const r = await runCheck(logsGroup, clouds.settings(ON));
  assert.is(r.status, 'fail');
  assert.match(r.detail, /CloudWatch Logs group cruddur does not exist in us-east-1/);
  assert.match(r.fix!, /npm run doctor -- --fix creates it, kept 3 days/);
  assert.match(r.links!.group!, /#logsV2:log-groups\/log-group\/cruddur$/);
});

t('a group that keeps logs forever warns; one with a retention passes, after one test event written', async ({ clouds }) => {
  clouds.logs.addGroup('cruddur');
  let r = await runCheck(logsGroup, clouds.settings(ON));
  assert.is(r.status, 'warn');
  assert.match(r.detail, /keeps logs forever/);
  clouds.logs.groups.get('cruddur')!.retentionInDays = 3;
  r = await runCheck(logsGroup, clouds.settings(ON));
  assert.is(r.status, 'pass');
  assert.match(r.detail, /group cruddur in us-east-1, kept 3 days; the credentials may write/);
  assert.is(clouds.logs.groups.get('cruddur')!.streams.get(DOCTOR_STREAM)?.length, 2, 'one event per run, in the doctor’s own stream');
});

t('credentials without logs:PutLogEvents: the check names the action and the policy', async ({ clouds }) => {
  clouds.logs.deny('PutLogEvents');
  try {
    const r = await runCheck(logsGroup, clouds.settings(ON));
    assert.is(r.status, 'fail');
    assert.match(r.detail, /writing to it failed: AWS denied logs:PutLogEvents: the credentials lack logs:PutLogEvents/);
    assert.match(r.fix!, /CloudWatchLogsFullAccess/);
  } finally {
    clouds.logs.allowAll();
  }
});

t('recent events: none warns; the backend’s, with trace ids, pass', async ({ clouds }) => {
  let r = await runCheck(logsRecent, clouds.settings(ON));
  assert.is(r.status, 'warn');
  assert.match(r.detail, /no events in stream cruddur-workspace in the last 15 minutes/);
  const stream: { message: string; timestamp: number; ingestionTime: number; logStreamName: string; eventId: string }[] = [];
  clouds.logs.groups.get('cruddur')!.streams.set('cruddur-workspace', stream);
  const now = Date.now();
  stream.push({ message: `{"body":"request","trace_id":"${'ab'.repeat(16)}"}`, timestamp: now, ingestionTime: now, logStreamName: 'cruddur-workspace', eventId: '1' });
  stream.push({ message: '{"body":"backend-flask-ts listening"}', timestamp: now, ingestionTime: now, logStreamName: 'cruddur-workspace', eventId: '2' });
  r = await runCheck(logsRecent, clouds.settings(ON));
  assert.is(r.status, 'pass');
  assert.is(r.detail, '2 events in stream cruddur-workspace in the last 15 minutes, 1 with a trace id');
});

t.run();
