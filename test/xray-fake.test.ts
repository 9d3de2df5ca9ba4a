// The X-Ray fake's own reading of filter expressions and segment documents, from AWS's pages
// (X-Ray Developer Guide: "Using filter expressions", "Segment documents").
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CreateGroupCommand, PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import { compileXrayFilter, type TraceView } from '../testkit/aws/xray-filter.ts';
import { startXrayFake } from '../testkit/aws/xray.ts';
import { AWS } from '../testkit/clouds.ts';

const t = suite('the X-Ray fake');

const trace = (over: Partial<TraceView> = {}): TraceView => ({
  services: new Set(['backend-flask']),
  annotations: new Map([['app_smoke_id', ['smoke-1']], ['retries', [3]]]),
  duration: 6.5,
  responsetime: 6,
  http: { status: 200, url: 'https://api.example/api/activities/home', method: 'GET' },
  flags: { ok: true, error: false, throttle: false, fault: false, partial: false },
  users: new Set(['andrewbrown']),
  ...over,
});

t('evaluates the expressions the project and the course use, as the guide describes them', () => {
  const holds = (expr: string, tv = trace()) => compileXrayFilter(expr)(tv);
  assert.ok(holds('service("backend-flask")'));
  assert.not.ok(holds('service("backend-flask-3000-ws.gitpod.io")'));
  assert.ok(holds('(service("backend-flask")) AND annotation.app_smoke_id = "smoke-1"'));
  assert.not.ok(holds('(service("backend-flask")) AND annotation.app_smoke_id = "smoke-2"'));
  assert.not.ok(holds('annotation.app.smoke_id = "smoke-1"'), 'a dotted key is another key');
  assert.ok(holds('responsetime > 5'));
  assert.ok(holds('duration >= 5 AND duration <= 8'));
  assert.ok(holds('!fault AND ok'));
  assert.ok(holds('fault = false OR error'));
  assert.ok(holds('http.url CONTAINS "/api/" AND http.method = "GET" AND http.status = 200'));
  assert.ok(holds('annotation.retries >= 3 AND user = "andrewbrown"'));
  assert.ok(holds('id(name: "backend-flask", type: "AWS::EC2::Instance")'));
});

t('refuses invalid expressions, as X-Ray answers InvalidRequestException', () => {
  for (const bad of ['service(backend-flask)', 'annotation.app_smoke_id', 'responsetime > "slow"', 'colour = "red"', 'service("a") AND', 'ok)', 'http.url > 5']) {
    assert.throws(() => compileXrayFilter(bad), /Invalid filter expression/, bad);
  }
});

t('PutTraceSegments refuses a segment with neither end_time nor in_progress; CreateGroup a name over 32 characters', async () => {
  const fake = await startXrayFake({ credentials: { [AWS.AWS_ACCESS_KEY_ID]: AWS.AWS_SECRET_ACCESS_KEY } });
  const client = new XRayClient({ region: 'us-east-1', endpoint: fake.url, credentials: { accessKeyId: AWS.AWS_ACCESS_KEY_ID, secretAccessKey: AWS.AWS_SECRET_ACCESS_KEY } });
  try {
    const id = Math.floor(Date.now() / 1000).toString(16);
    const doc = { name: 'backend-flask', id: 'a'.repeat(16), trace_id: `1-${id}-${'b'.repeat(24)}`, start_time: Date.now() / 1000 };
    const out = await client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: [JSON.stringify(doc), JSON.stringify({ ...doc, id: 'c'.repeat(16), end_time: doc.start_time + 1 })] }));
    assert.equal(out.UnprocessedTraceSegments, [{ Id: 'a'.repeat(16), ErrorCode: 'InvalidSegment', Message: 'Invalid segment: end_time is required unless in_progress is true' }]);
    const long = client.send(new CreateGroupCommand({ GroupName: 'x'.repeat(33), FilterExpression: 'service("a")' }));
    await long.then(
      () => assert.unreachable('a 33-character group name was accepted'),
      (err: Error) => assert.is(err.name, 'InvalidRequestException'),
    );
  } finally {
    await fake.close();
  }
});

t.run();
