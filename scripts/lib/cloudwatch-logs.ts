import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DescribeLogGroupsCommand, FilterLogEventsCommand, PutLogEventsCommand, PutRetentionPolicyCommand, type LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import { clientConfig, deadline, perSettings } from './aws.ts';
import type { Settings } from './settings.ts';
import type { SetupStep } from './xray-setup.ts';

// Import this module only when CLOUDWATCH_LOGS=true: the client's package took 13-20 ms to load.
const logsClient = perSettings((s) => new CloudWatchLogsClient(clientConfig(s, 'cloudwatch_logs')));

/** What otel-collector/logs-cloudwatch-true.yaml gives a group the exporter creates. */
export const LOG_RETENTION_DAYS = 3;
/** The stream the doctor writes its one test event to, beside the workspace's own. */
export const DOCTOR_STREAM = 'npm-run-doctor';

/** The group named exactly (DescribeLogGroups matches a prefix), or undefined. */
export async function findLogGroup(settings: Settings): Promise<LogGroup | undefined> {
  const name = settings.logGroup.value;
  const out = await logsClient(settings).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }), deadline());
  return out.logGroups?.find((g) => g.logGroupName === name);
}

/**
 * The group the collector writes to, with a short retention so stored logs cost little: created
 * when missing, given the retention when it keeps logs forever, otherwise left as it is.
 */
export async function ensureLogGroup(settings: Settings): Promise<SetupStep> {
  const client = logsClient(settings);
  const name = settings.logGroup.value;
  const group = await findLogGroup(settings);
  const what = `CloudWatch Logs group ${name}`;
  if (group?.retentionInDays) return { what, outcome: 'found', detail: `kept ${group.retentionInDays} days` };
  if (!group) {
    try {
      await client.send(new CreateLogGroupCommand({ logGroupName: name }), deadline());
    } catch (err) {
      if ((err as Error).name !== 'ResourceAlreadyExistsException') throw err;
    }
  }
  await client.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: LOG_RETENTION_DAYS }), deadline());
  return { what, outcome: 'created', detail: group ? `retention set to ${LOG_RETENTION_DAYS} days (it kept logs forever)` : `kept ${LOG_RETENTION_DAYS} days` };
}

/**
 * Writes one event, as the collector's exporter does (CreateLogStream, then PutLogEvents),
 * to the doctor's own stream: proof the credentials may, at the cost of one small event.
 */
export async function writeTestEvent(settings: Settings, message: string): Promise<void> {
  const client = logsClient(settings);
  const stream = { logGroupName: settings.logGroup.value, logStreamName: DOCTOR_STREAM };
  try {
    await client.send(new CreateLogStreamCommand(stream), deadline());
  } catch (err) {
    if ((err as Error).name !== 'ResourceAlreadyExistsException') throw err;
  }
  await client.send(new PutLogEventsCommand({ ...stream, logEvents: [{ timestamp: Date.now(), message }] }), deadline());
}

/** Events of the workspace's stream since `sinceMs` whose message holds every term. */
export async function recentEvents(settings: Settings, sinceMs: number, terms: string[] = [], signal?: AbortSignal) {
  const out = await logsClient(settings).send(
    new FilterLogEventsCommand({
      logGroupName: settings.logGroup.value,
      logStreamNames: [settings.logStream.value],
      startTime: sinceMs,
      filterPattern: terms.map((t) => JSON.stringify(t)).join(' ') || undefined,
      limit: 200,
    }),
    signal ? { abortSignal: signal } : deadline(),
  );
  return out.events ?? [];
}
