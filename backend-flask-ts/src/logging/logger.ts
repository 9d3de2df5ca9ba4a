import { context, logs, ROOT_CONTEXT, SeverityNumber, trace, type Attributes, type SpanContext } from '@opentelemetry/api';

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Fields = Record<string, unknown>;

// Each line also goes to the collector as an OTLP log record (a no-op until telemetry/sdk.ts
// starts the SDK), which sends it on to Honeycomb and, when CLOUDWATCH_LOGS=true, to
// CloudWatch Logs: only the collector holds credentials.
const otel = logs.getLogger('backend-flask-ts');
const SEVERITY: Record<Level, SeverityNumber> = {
  debug: SeverityNumber.DEBUG,
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
};

let write: (line: string) => void = (line) => process.stdout.write(`${line}\n`);

/** Tests capture lines instead of printing them. */
export function setWriter(writer: (line: string) => void): void {
  write = writer;
}

/** X-Ray's form of an OpenTelemetry trace id, so a log line can be pasted into the X-Ray console. */
export const xrayTraceId = (traceId: string): string => `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`;

/**
 * One JSON line per event, carrying the trace and span of the active request (or of `span`,
 * for lines written after the request's context has ended) so a log line leads to its trace
 * in Honeycomb and X-Ray, and CloudWatch Logs Insights can filter on it.
 */
export function log(level: Level, msg: string, fields: Fields = {}, span?: SpanContext): void {
  const now = Date.now();
  const ids = span ?? trace.getActiveSpan()?.spanContext();
  const record: Fields = { time: new Date(now).toISOString(), level, msg, service: serviceName(), ...fields };
  if (ids && record.trace_id === undefined) {
    record.trace_id = ids.traceId;
    record.span_id = ids.spanId;
    record.xray_trace_id = xrayTraceId(ids.traceId);
  }
  write(JSON.stringify(record, errorsAsText));
  otel.emit({
    timestamp: now,
    severityNumber: SEVERITY[level],
    severityText: level.toUpperCase(),
    body: msg,
    attributes: attributesOf(fields),
    // The record's trace_id and span_id: what joins a log to its trace in Honeycomb.
    context: span ? trace.setSpanContext(ROOT_CONTEXT, span) : context.active(),
  });
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

// Log attributes are primitives or arrays of them: an error becomes "Name: message", any other
// object its JSON (the stdout line keeps the structure).
function attributesOf(fields: Fields): Attributes {
  const attributes: Attributes = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    if (value instanceof Error) attributes[key] = `${value.name}: ${value.message}`;
    else if (typeof value === 'object' && !Array.isArray(value)) attributes[key] = JSON.stringify(value, errorsAsText);
    else attributes[key] = value as Attributes[string];
  }
  return attributes;
}
