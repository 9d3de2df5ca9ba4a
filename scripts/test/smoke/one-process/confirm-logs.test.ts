// The smoke in one process (harness.ts): confirmation in CloudWatch Logs, by smoke id in the
// workspace's stream; a group not there yet; the deadline; denied.
import * as assert from 'uvu/assert';
import { writeTestEvent } from '../../../lib/aws/cloudwatch-logs.ts';
import { confirmCloudWatchLogs } from '../../../smoke/confirm.ts';
import { context, section, settingsOf } from './harness.ts';

const confirmation = section('confirmation in CloudWatch Logs');

confirmation('CloudWatch Logs: found by smoke id in the workspace’s stream; a group not there yet; the deadline', async (c) => {
  c.clouds.logs.addGroup('units-group');
  const s = settingsOf(c, { CLOUDWATCH_LOGS: 'true', CLOUDWATCH_LOG_GROUP: 'units-group', CLOUDWATCH_LOG_STREAM: 'npm-run-doctor' });
  const since = Date.now();
  await writeTestEvent(s, 'smoke smoke-logs-unit-1 arrived');
  const ctx = await context(s, 3000);
  assert.equal(await confirmCloudWatchLogs(ctx, 'smoke-logs-unit-1', since), { ok: true, evidence: 'found by smoke id in CloudWatch Logs group units-group, stream npm-run-doctor' });
  assert.is((await confirmCloudWatchLogs(await context(s, 400), 'smoke-logs-unit-2', since)).error, 'Timed out after 0.4s waiting for: the smoke log record in CloudWatch Logs group units-group, stream npm-run-doctor');
  const missing = settingsOf(c, { CLOUDWATCH_LOGS: 'true', CLOUDWATCH_LOG_GROUP: 'not-yet' });
  assert.is(
    (await confirmCloudWatchLogs(await context(missing, 400), 'smoke-x', since)).error,
    'Timed out after 0.4s waiting for: the smoke log record in CloudWatch Logs group not-yet, stream cruddur-workspace (last error: group not-yet or its stream cruddur-workspace does not exist yet)',
  );
  c.clouds.logs.deny('FilterLogEvents');
  assert.match((await confirmCloudWatchLogs(await context(s, 400), 'smoke-x', since)).error!, /^Timed out after 0\.4s waiting for: the smoke log record in CloudWatch Logs group units-group, stream npm-run-doctor \(last error: .*FilterLogEvents.*\)$/);
  c.clouds.logs.allowAll();
});

confirmation.run();
