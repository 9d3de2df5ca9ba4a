import { hostname } from 'node:os';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  type InputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { addSink, logger, type LogSink } from './logger.ts';

// PutLogEvents limits: 10,000 events and 1,048,576 bytes a call, counting 26 bytes per event.
const MAX_EVENTS = 10_000;
const MAX_BYTES = 1_048_576;
const EVENT_OVERHEAD = 26;

export interface CloudWatchOptions {
  group: string;
  stream: string;
  client: CloudWatchLogsClient;
  flushIntervalMs?: number;
  /** Lines kept while CloudWatch is slow or down; past this the newest are dropped and counted. */
  maxQueued?: number;
}

/**
 * Ships log lines to CloudWatch Logs in batches. A request only appends to a queue; sending
 * happens on a timer, outside any trace (its HTTP calls would otherwise become spans).
 */
export class CloudWatchSink implements LogSink {
  readonly #opts: Required<CloudWatchOptions>;
  #queue: InputLogEvent[] = [];
  #ready: Promise<void> | undefined;
  #sending: Promise<void> = Promise.resolve();
  #failing = false;
  #dropped = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(opts: CloudWatchOptions) {
    this.#opts = { flushIntervalMs: 5000, maxQueued: 20_000, ...opts };
    this.#timer = setInterval(() => void this.flush(), this.#opts.flushIntervalMs).unref();
  }

  write(line: string, timestamp: number): void {
    if (this.#queue.length >= this.#opts.maxQueued) {
      this.#dropped++;
      return;
    }
    this.#queue.push({ message: line, timestamp });
  }

  /** Sends everything queued now; never rejects. */
  flush(): Promise<void> {
    this.#sending = this.#sending.then(() => context.with(suppressTracing(context.active()), () => this.#drain()));
    return this.#sending;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
    this.#opts.client.destroy();
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#takeBatch();
      try {
        this.#ready ??= this.#ensureStream();
        await this.#ready;
        await this.#opts.client.send(
          new PutLogEventsCommand({ logGroupName: this.#opts.group, logStreamName: this.#opts.stream, logEvents: batch }),
        );
        if (this.#failing) {
          this.#failing = false;
          logger.info('CloudWatch Logs recovered', { log_group: this.#opts.group, dropped_lines: this.#dropped });
          this.#dropped = 0;
        }
      } catch (err) {
        this.#ready = undefined;
        this.#dropped += batch.length;
        if (!this.#failing) {
          this.#failing = true;
          logger.warn('CloudWatch Logs is failing: log lines are dropped until it answers (stdout still has them)', {
            log_group: this.#opts.group,
            error: describeAwsError(err),
            fix: 'check AWS credentials and AWS_REGION (npm run doctor), or unset CLOUDWATCH_LOGS',
          });
        }
        return;
      }
    }
  }

  #takeBatch(): InputLogEvent[] {
    // Lines arrive in order from one process, so the queue is already chronological.
    let bytes = 0;
    let count = 0;
    for (const event of this.#queue) {
      const size = Buffer.byteLength(event.message ?? '') + EVENT_OVERHEAD;
      if (count === MAX_EVENTS || bytes + size > MAX_BYTES) break;
      bytes += size;
      count++;
    }
    return this.#queue.splice(0, Math.max(count, 1));
  }

  async #ensureStream(): Promise<void> {
    const { client, group, stream } = this.#opts;
    await ignoreExisting(client.send(new CreateLogGroupCommand({ logGroupName: group })));
    await ignoreExisting(client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream })));
  }
}

async function ignoreExisting(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if ((err as Error).name !== 'ResourceAlreadyExistsException') throw err;
  }
}

function describeAwsError(err: unknown): string {
  const e = err as Error & { $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : '';
  return `${e.name}: ${e.message}${status}`;
}

/** CloudWatch Logs only when CLOUDWATCH_LOGS=true: it bills ingestion, so it is opt-in. */
export function startCloudWatchLogs(env: NodeJS.ProcessEnv = process.env): CloudWatchSink | undefined {
  if (env.CLOUDWATCH_LOGS !== 'true') return undefined;
  const group = env.CLOUDWATCH_LOG_GROUP?.trim() || 'cruddur';
  const stream = env.CLOUDWATCH_LOG_STREAM?.trim() || `backend-flask-ts/${hostname()}/${process.pid}`;
  const sink = new CloudWatchSink({ group, stream, client: new CloudWatchLogsClient({ maxAttempts: 2 }) });
  addSink(sink);
  logger.info('sending logs to CloudWatch Logs', { log_group: group, log_stream: stream });
  return sink;
}
