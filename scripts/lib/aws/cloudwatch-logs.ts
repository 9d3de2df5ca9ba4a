import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, paginateDescribeLogGroups, paginateFilterLogEvents, PutLogEventsCommand, PutRetentionPolicyCommand, type FilteredLogEvent, type LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import { clientConfig, deadline, perSettings } from './clients.ts';
import type { Settings } from '../workspace/settings.ts';
import type { SetupStep } from './xray-setup.ts';

// Import this module only when CLOUDWATCH_LOGS=true: the client's package took 13-20 ms to load.
const logsClient = perSettings((s) => new CloudWatchLogsClient(clientConfig(s, 'cloudwatch_logs')));

/** What otel-collector/logs-cloudwatch-true.yaml gives a group the exporter creates. */
export const LOG_RETENTION_DAYS = 3;
/** The stream the doctor writes its one test event to, beside the workspace's own. */
export const DOCTOR_STREAM = 'npm-run-doctor';

/**
 * The group named exactly, or undefined. DescribeLogGroups matches a prefix, up to 50 groups a
 * page, ASCII-sorted by name (the SDK model): the exact name comes first among those it
 * prefixes, so the first page holds it; the pages are read on until it is found all the same.
 */
export async function findLogGroup(settings: Settings): Promise<LogGroup | undefined> {
  const name = settings.logGroup.value;
  for await (const page of paginateDescribeLogGroups({ client: logsClient(settings) }, { logGroupNamePrefix: name }, deadline())) {
    const found = page.logGroups?.find((g) => g.logGroupName === name);
    if (found) return found;
  }
  return undefined;
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

/**
 * Events of the workspace's stream since `sinceMs` whose message holds every term, up to
 * `enough` of them. FilterLogEvents pages: a page may be partly full or empty while a
 * nextToken says more may follow (its API reference), so pages are read until `enough` are
 * found or no token is left.
 */
export async function recentEvents(settings: Settings, sinceMs: number, terms: string[] = [], signal?: AbortSignal, enough = 200): Promise<FilteredLogEvent[]> {
  const input = {
    logGroupName: settings.logGroup.value,
    logStreamNames: [settings.logStream.value],
    startTime: sinceMs,
    filterPattern: terms.map((t) => JSON.stringify(t)).join(' ') || undefined,
  };
  const events: FilteredLogEvent[] = [];
  // One deadline for every page, not one each.
  const call = signal ? { abortSignal: signal } : deadline();
  for await (const page of paginateFilterLogEvents({ client: logsClient(settings), pageSize: enough }, input, call)) {
    events.push(...(page.events ?? []));
    if (events.length >= enough) break;
  }
  return events.slice(0, enough);
}
