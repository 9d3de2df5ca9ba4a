import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startCloudWatchLogsFake } from '../../testkit/aws/cloudwatch-logs.ts';
import { CloudWatchSink, startCloudWatchLogs } from '../src/logging/cloudwatch.ts';
import { setWriter } from '../src/logging/logger.ts';

const credentials = { accessKeyId: 'AKIATESTTESTTEST', secretAccessKey: 'not-a-real-secret' };
const client = (endpoint: string) => new CloudWatchLogsClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });

test('CloudWatch Logs is off unless CLOUDWATCH_LOGS=true', () => {
  assert.is(startCloudWatchLogs({}), undefined);
  assert.is(startCloudWatchLogs({ CLOUDWATCH_LOGS: '1' }), undefined);
});

test('lines are sent in one batch, after creating the group and stream', async () => {
  const cw = await startCloudWatchLogsFake();
  const sink = new CloudWatchSink({ group: 'cruddur', stream: 's1', client: client(cw.url), flushIntervalMs: 60_000 });
  const t0 = Date.now();
  for (let i = 0; i < 500; i++) sink.write(JSON.stringify({ msg: 'request', i }), t0 + i);
  assert.is(cw.calls.length, 0, 'writing does not call CloudWatch: requests never wait on it');
  await sink.close();
  assert.equal(cw.calls, ['CreateLogGroup', 'CreateLogStream', 'PutLogEvents']);
  const events = cw.events('cruddur');
  assert.is(events.length, 500);
  assert.is(JSON.parse(events[499]!.message).i, 499);
  await cw.close();
});

test('an existing group and stream are reused, and batches respect the 1 MB limit', async () => {
  const cw = await startCloudWatchLogsFake();
  for (const stream of ['first', 'second']) {
    const sink = new CloudWatchSink({ group: 'cruddur', stream: 'same', client: client(cw.url), flushIntervalMs: 60_000 });
    const line = 'x'.repeat(100_000);
    for (let i = 0; i < 15; i++) sink.write(`${stream}:${line}`, Date.now());
    await sink.close();
  }
  assert.is(cw.events('cruddur').length, 30);
  assert.ok(cw.calls.filter((c) => c === 'PutLogEvents').length >= 4, 'split into batches under the limit');
  await cw.close();
});

test('when CloudWatch refuses, one warning names the cause and lines are dropped, not piled up', async () => {
  const lines: string[] = [];
  setWriter((l) => lines.push(l));
  const cw = await startCloudWatchLogsFake({ deny: true });
  const sink = new CloudWatchSink({ group: 'cruddur', stream: 's', client: client(cw.url), flushIntervalMs: 60_000, maxQueued: 100 });
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 150; i++) sink.write(`line ${i}`, Date.now());
    await sink.flush();
  }
  const warnings = lines.map((l) => JSON.parse(l)).filter((l) => l.level === 'warn');
  assert.is(warnings.length, 1, 'one warning for the whole outage');
  assert.match(warnings[0].error, /AccessDeniedException.*logs:CreateLogGroup/);
  assert.match(warnings[0].fix, /CLOUDWATCH_LOGS/);

  cw.setDeny(false);
  sink.write('after recovery', Date.now());
  await sink.close();
  const recovered = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'CloudWatch Logs recovered');
  assert.ok(recovered.dropped_lines >= 300, `counted ${recovered.dropped_lines} dropped lines`);
  assert.ok(cw.events('cruddur').some((e) => e.message === 'after recovery'));
  setWriter((l) => process.stdout.write(`${l}\n`));
  await cw.close();
});

test.run();
