// The backend's logs through the collector (stand-in, the compose command's config files) to
// Honeycomb always, and to CloudWatch Logs only when CLOUDWATCH_LOGS=true.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { waitFor } from '../testkit/http.ts';
import { KEYS } from '../testkit/honeycomb.ts';
import { startWorld, type World } from '../scripts/test/world.ts';

const request = async (world: World, handle: string) => {
  const res = await world.backend.get(`/api/activities/@${handle}`);
  assert.is(res.status, 200);
  const line = await waitFor(() => world.backend.logs.find((l) => l.msg === 'request' && l.path === `/api/activities/@${handle}`), 5000, 'the request log line');
  return String(line.trace_id);
};
const honeycombLog = (world: World, traceId: string) =>
  waitFor(() => world.honeycomb.datasets(KEYS.enterprise).get('backend-flask')?.events.find((e) => 'signal' in e && e.attributes['trace.trace_id'] === traceId), 8000, 'the log record in Honeycomb');

for (const cloudwatch of [false, true]) {
  const t = suite<{ world: World }>(`logs with CLOUDWATCH_LOGS=${cloudwatch}`);
  t.before(async (ctx) => {
    ctx.world = await startWorld({ cloudwatchLogs: cloudwatch });
  });
  t.after(({ world }) => world.close());

  t('a request’s log record reaches Honeycomb, in the backend’s dataset, joined to its trace', async ({ world }) => {
    const traceId = await request(world, 'honeycomb');
    const event = await honeycombLog(world, traceId);
    assert.is(event.attributes.body, 'request');
    assert.is(event.attributes.path, '/api/activities/@honeycomb');
    assert.is(event.attributes.severity, 'info');
  });

  if (cloudwatch) {
    t('and CloudWatch Logs: the exporter makes the group (3-day retention) and the stream, and the message carries the trace id', async ({ world }) => {
      const traceId = await request(world, 'cloudwatch');
      const event = await waitFor(() => world.logs.events('cruddur').find((e) => e.message.includes(traceId)), 8000, 'the log event in CloudWatch Logs');
      const message = JSON.parse(event.message);
      assert.is(message.body, 'request');
      assert.is(message.trace_id, traceId);
      assert.is(message.attributes.path, '/api/activities/@cloudwatch');
      assert.is(message.resource['service.name'], 'backend-flask');
      assert.is(event.logStreamName, 'cruddur-workspace');
      assert.is(world.logs.groups.get('cruddur')?.retentionInDays, 3);
    });
  } else {
    t('and nothing is sent to CloudWatch Logs', async ({ world }) => {
      await honeycombLog(world, await request(world, 'only-honeycomb'));
      assert.equal(world.logs.calls, []);
    });
  }
  t.run();
}
