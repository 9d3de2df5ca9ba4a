// The CloudWatch Logs fake against the real SDK client: what the collector's exporter and the
// doctor will meet, checked once here so their tests can lean on it.
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DescribeLogGroupsCommand, FilterLogEventsCommand, PutLogEventsCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startCloudWatchLogsFake, type CloudWatchLogsFake } from '../testkit/aws/cloudwatch-logs.ts';

const KEY = { accessKeyId: 'AKIACWLTEST000000001', secretAccessKey: 'cwl-secret-not-real' };
const t = suite<{ cw: CloudWatchLogsFake; client: CloudWatchLogsClient }>('CloudWatch Logs fake');
t.before(async (ctx) => {
  ctx.cw = await startCloudWatchLogsFake({ credentials: { [KEY.accessKeyId]: KEY.secretAccessKey } });
  ctx.client = new CloudWatchLogsClient({ endpoint: ctx.cw.url, region: 'us-east-1', credentials: KEY, maxAttempts: 1 });
});
t.after(({ cw }) => cw.close());

const errorName = (p: Promise<unknown>) => p.then(() => 'no error', (e: Error) => e.name);

t('a group is created once, with a retention AWS allows; a repeat is ResourceAlreadyExistsException', async ({ client }) => {
  await client.send(new CreateLogGroupCommand({ logGroupName: 'cruddur' }));
  assert.is(await errorName(client.send(new CreateLogGroupCommand({ logGroupName: 'cruddur' }))), 'ResourceAlreadyExistsException');
  assert.is(await errorName(client.send(new PutRetentionPolicyCommand({ logGroupName: 'cruddur', retentionInDays: 2 }))), 'InvalidParameterException');
  await client.send(new PutRetentionPolicyCommand({ logGroupName: 'cruddur', retentionInDays: 3 }));
  const out = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'crud' }));
  assert.is(out.logGroups?.[0]?.logGroupName, 'cruddur');
  assert.is(out.logGroups?.[0]?.retentionInDays, 3);
});

t('events go to an existing stream, and FilterLogEvents finds them by term', async ({ client }) => {
  assert.is(await errorName(client.send(new PutLogEventsCommand({ logGroupName: 'cruddur', logStreamName: 'ws', logEvents: [{ message: 'x', timestamp: Date.now() }] }))), 'ResourceNotFoundException');
  await client.send(new CreateLogStreamCommand({ logGroupName: 'cruddur', logStreamName: 'ws' }));
  const now = Date.now();
  await client.send(new PutLogEventsCommand({ logGroupName: 'cruddur', logStreamName: 'ws', logEvents: [{ message: '{"body":"smoke abc123"}', timestamp: now }, { message: '{"body":"other"}', timestamp: now + 1 }] }));
  const found = await client.send(new FilterLogEventsCommand({ logGroupName: 'cruddur', filterPattern: '"abc123"', startTime: now - 1000 }));
  assert.equal(found.events?.map((e) => e.message), ['{"body":"smoke abc123"}']);
  assert.is(await errorName(client.send(new FilterLogEventsCommand({ logGroupName: 'nope' }))), 'ResourceNotFoundException');
});

t('a wrong secret, an unknown key and a denied action each get the error AWS sends', async ({ cw }) => {
  const as = (credentials: typeof KEY) => new CloudWatchLogsClient({ endpoint: cw.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  assert.is(await errorName(as({ ...KEY, secretAccessKey: 'wrong' }).send(new DescribeLogGroupsCommand({}))), 'InvalidSignatureException');
  assert.is(await errorName(as({ accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' }).send(new DescribeLogGroupsCommand({}))), 'UnrecognizedClientException');
  cw.deny('PutLogEvents');
  const denied = await as(KEY).send(new PutLogEventsCommand({ logGroupName: 'cruddur', logStreamName: 'ws', logEvents: [{ message: 'x', timestamp: Date.now() }] })).catch((e: Error) => e);
  cw.allowAll();
  assert.is((denied as Error).name, 'AccessDeniedException');
  assert.match((denied as Error).message, /not authorized to perform: logs:PutLogEvents/);
});

t.run();
