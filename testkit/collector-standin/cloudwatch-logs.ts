// The contrib awscloudwatchlogs exporter, as its source behaves (exporter/awscloudwatchlogsexporter
// exporter.go, internal/aws/cwlogs cwlog_client.go and pusher.go).
import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, PutRetentionPolicyCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ReceivedLog } from '../../scripts/lib/otlp/decode.ts';
import type { CloudWatchLogsExporter } from './config.ts';

// pusher.go: a PutLogEvents batch holds at most 10,000 events (and 1 MB).
const MAX_EVENTS = 10_000;

/**
 * exporter.go logToCWLog without raw_log: the message is the JSON of cwLogBody, its fields in
 * declaration order and every one omitempty; Go's encoding/json writes map keys sorted.
 */
export function cwLogMessage(log: ReceivedLog): string {
  const sorted = (m: Record<string, unknown>) => (Object.keys(m).length ? Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : undefined);
  const body: Record<string, unknown> = {
    body: log.body === '' ? undefined : log.body,
    severity_number: log.severityNumber || undefined,
    severity_text: log.severityText || undefined,
    dropped_attributes_count: log.droppedAttributesCount || undefined,
    flags: log.flags || undefined,
    trace_id: log.traceId || undefined,
    span_id: log.spanId || undefined,
    attributes: sorted(log.attributes),
    // "scope should have a name at least"
    scope: log.scope ? { name: log.scope, version: log.scopeVersion || undefined } : undefined,
    resource: sorted(log.resource),
  };
  return JSON.stringify(body);
}

const named = (err: unknown, name: string) => (err as { name?: string })?.name === name;

/** Returns a push function: it sends the records and resolves with how many were accepted. */
export function cloudWatchLogsExporter(exp: CloudWatchLogsExporter, client: CloudWatchLogsClient, log: (line: string) => void) {
  // cwlog_client.go CreateStream: CreateLogStream; if the group is missing, CreateLogGroup,
  // PutRetentionPolicy when log_retention is set, and CreateLogStream again. "Already exists"
  // is success.
  async function createStream(): Promise<void> {
    try {
      await client.send(new CreateLogStreamCommand({ logGroupName: exp.group, logStreamName: exp.stream }));
    } catch (err) {
      if (named(err, 'ResourceAlreadyExistsException')) return;
      if (!named(err, 'ResourceNotFoundException')) throw err;
      try {
        await client.send(new CreateLogGroupCommand({ logGroupName: exp.group }));
        if (exp.retention !== 0) await client.send(new PutRetentionPolicyCommand({ logGroupName: exp.group, retentionInDays: exp.retention }));
        await client.send(new CreateLogStreamCommand({ logGroupName: exp.group, logStreamName: exp.stream }));
      } catch (inner) {
        if (!named(inner, 'ResourceAlreadyExistsException')) throw inner;
      }
    }
  }

  // cwlog_client.go PutLogEvents: a ResourceNotFoundException creates the stream (and group)
  // and tries once more (defaultRetryCount 1); any other error goes back to the exporter
  // helper, whose retry_on_failure tries again later.
  async function put(events: { message: string; timestamp: number }[]): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        const out = await client.send(new PutLogEventsCommand({ logGroupName: exp.group, logStreamName: exp.stream, logEvents: events }));
        const r = out.rejectedLogEventsInfo;
        if (r?.tooOldLogEventEndIndex !== undefined) log(`warn\t${exp.id}: ${r.tooOldLogEventEndIndex} log events for log group name are too old`);
        if (r?.tooNewLogEventStartIndex !== undefined) log(`warn\t${exp.id}: ${r.tooNewLogEventStartIndex} log events for log group name are too new`);
        return events.length;
      } catch (err) {
        if (named(err, 'ResourceNotFoundException') && attempt === 0) {
          await createStream();
          continue;
        }
        throw new Error(`cwlog_client: Error occurs in PutLogEvents: ${(err as Error).name}: ${(err as Error).message}`);
      }
    }
  }

  return async (records: ReceivedLog[]): Promise<number> => {
    // pusher.go sorts a batch by timestamp, as PutLogEvents requires.
    const events = records.map((r) => ({ timestamp: r.timeMs, message: cwLogMessage(r) })).sort((a, b) => a.timestamp - b.timestamp);
    let sent = 0;
    for (let i = 0; i < events.length; i += MAX_EVENTS) sent += await put(events.slice(i, i + MAX_EVENTS));
    return sent;
  };
}
