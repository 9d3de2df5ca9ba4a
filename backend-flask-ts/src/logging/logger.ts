import { trace } from '@opentelemetry/api';

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Fields = Record<string, unknown>;

/** Where finished log lines go besides stdout (CloudWatch Logs when opted in). */
export interface LogSink {
  write(line: string, timestamp: number): void;
}

const sinks: LogSink[] = [];
let write: (line: string) => void = (line) => process.stdout.write(`${line}\n`);

export function addSink(sink: LogSink): void {
  sinks.push(sink);
}

/** Tests capture lines instead of printing them. */
export function setWriter(writer: (line: string) => void): void {
  write = writer;
}

/** X-Ray's form of an OpenTelemetry trace id, so a log line can be pasted into the X-Ray console. */
export const xrayTraceId = (traceId: string): string => `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`;

/**
 * One JSON line per event, carrying the trace and span of the active request so a log line
 * leads to its trace in Honeycomb and X-Ray (and CloudWatch Logs Insights can filter on it).
 */
export function log(level: Level, msg: string, fields: Fields = {}): void {
  const now = Date.now();
  const span = trace.getActiveSpan()?.spanContext();
  const record: Fields = { time: new Date(now).toISOString(), level, msg, service: serviceName(), ...fields };
  if (span && record.trace_id === undefined) {
    record.trace_id = span.traceId;
    record.span_id = span.spanId;
    record.xray_trace_id = xrayTraceId(span.traceId);
  }
  const line = JSON.stringify(record, errorsAsText);
  write(line);
  for (const sink of sinks) sink.write(line, now);
}

export const logger = {
  debug: (msg: string, fields?: Fields) => log('debug', msg, fields),
  info: (msg: string, fields?: Fields) => log('info', msg, fields),
  warn: (msg: string, fields?: Fields) => log('warn', msg, fields),
  error: (msg: string, fields?: Fields) => log('error', msg, fields),
};

function serviceName(): string {
  return process.env.OTEL_SERVICE_NAME?.trim() || 'backend-flask';
}

// Errors have no enumerable fields; keep what a reader needs and no stack in the line.
function errorsAsText(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}
