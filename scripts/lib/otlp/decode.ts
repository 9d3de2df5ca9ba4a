import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import protobuf from 'protobufjs';

/** A span as a test wants to read it: ids in hex, attributes as plain values. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startMs: number;
  endMs: number;
  durationMs: number;
  attributes: Record<string, unknown>;
  status: { code: number; message?: string };
  events: { name: string; attributes: Record<string, unknown> }[];
  resource: Record<string, unknown>;
  scope: string;
}

// The OTLP protos of open-telemetry/opentelemetry-proto, unmodified, as the npm package
// @elastic/mockotlpserver ships them (its opentelemetry/ folder): taken from the package, so
// keeping in step is a version bump, never a copy of upstream's files in this tree.
const protoDir = dirname(createRequire(import.meta.url).resolve('@elastic/mockotlpserver/package.json'));
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => (target.startsWith('opentelemetry/') ? join(protoDir, target) : target);
root.loadSync(join(protoDir, 'opentelemetry/proto/collector/trace/v1/trace_service.proto'));
root.loadSync(join(protoDir, 'opentelemetry/proto/collector/logs/v1/logs_service.proto'));
root.loadSync(join(protoDir, 'opentelemetry/proto/collector/metrics/v1/metrics_service.proto'));
const ExportRequest = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
export const ExportResponse = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse');
const ExportLogsRequest = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest');
export const ExportLogsResponse = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse');

const ExportMetricsRequest = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest');
export const ExportMetricsResponse = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse');

/** One data point of a gauge or sum (histograms as their count, sum, min and max). */
export interface ReceivedMetricPoint {
  name: string;
  unit: string;
  kind: 'gauge' | 'sum' | 'histogram' | 'summary' | 'exponentialHistogram';
  value: number;
  timeMs: number;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  scope: string;
}

/** A log record as a test wants to read it. */
export interface ReceivedLog {
  timeMs: number;
  severityNumber: number;
  severityText: string;
  body: unknown;
  attributes: Record<string, unknown>;
  /** Hex, or '' when the record was made outside a span. */
  traceId: string;
  spanId: string;
  resource: Record<string, unknown>;
  scope: string;
  scopeVersion: string;
  /** W3C trace flags (1: sampled), when made inside a span. */
  flags: number;
  droppedAttributesCount: number;
}

// Wire data: read field by field below, tolerant of either encoding.
type Json = any;

/** An OTLP/HTTP body as plain data, and how its ids read as hex, in either encoding. */
function decodeBody(type: protobuf.Type, body: Buffer, contentType: string): { request: Json; id: (raw: string) => string } {
  if (contentType.startsWith('application/x-protobuf')) {
    const request = type.toObject(type.decode(body), { longs: String, bytes: String, defaults: false });
    return { request, id: (b64) => Buffer.from(b64, 'base64').toString('hex') };
  }
  if (contentType.startsWith('application/json')) {
    // OTLP/JSON: ids are hex strings (not base64), 64-bit integers may be strings or numbers.
    return { request: JSON.parse(body.toString('utf8')), id: (hex) => String(hex).toLowerCase() };
  }
  throw new Error(`unsupported content-type "${contentType}"`);
}

/** Decodes an ExportTraceServiceRequest body in either OTLP/HTTP encoding. */
export function decodeTraces(body: Buffer, contentType: string): ReceivedSpan[] {
  const { request, id } = decodeBody(ExportRequest, body, contentType);
  return flatten(request, id);
}

/** Decodes an ExportLogsServiceRequest body in either OTLP/HTTP encoding. */
export function decodeLogs(body: Buffer, contentType: string): ReceivedLog[] {
  const { request, id } = decodeBody(ExportLogsRequest, body, contentType);
  const records: ReceivedLog[] = [];
  for (const rl of request.resourceLogs ?? []) {
    const resource = attributes(rl.resource?.attributes);
    for (const sl of rl.scopeLogs ?? []) {
      for (const r of sl.logRecords ?? []) {
        records.push({
          timeMs: Number(BigInt(r.timeUnixNano ?? r.observedTimeUnixNano ?? 0) / 1_000_000n),
          severityNumber: Number(r.severityNumber ?? 0),
          severityText: r.severityText ?? '',
          body: anyValue(r.body),
          attributes: attributes(r.attributes),
          traceId: r.traceId ? id(r.traceId) : '',
          spanId: r.spanId ? id(r.spanId) : '',
          resource,
          scope: sl.scope?.name ?? '',
          scopeVersion: sl.scope?.version ?? '',
          flags: Number(r.flags ?? 0),
          droppedAttributesCount: Number(r.droppedAttributesCount ?? 0),
        });
      }
    }
  }
  return records;
}

/** Decodes an ExportMetricsServiceRequest body in either OTLP/HTTP encoding, one entry per data point. */
export function decodeMetrics(body: Buffer, contentType: string): ReceivedMetricPoint[] {
  const { request } = decodeBody(ExportMetricsRequest, body, contentType);
  const points: ReceivedMetricPoint[] = [];
  for (const rm of request.resourceMetrics ?? []) {
    const resource = attributes(rm.resource?.attributes);
    for (const sm of rm.scopeMetrics ?? []) {
      for (const m of sm.metrics ?? []) {
        const kind = (['gauge', 'sum', 'histogram', 'summary', 'exponentialHistogram'] as const).find((k) => m[k]);
        if (!kind) continue;
        for (const dp of m[kind].dataPoints ?? []) {
          const value = dp.asDouble ?? dp.asInt ?? dp.sum ?? dp.count ?? 0;
          points.push({ name: m.name, unit: m.unit ?? '', kind, value: Number(value), timeMs: Number(BigInt(dp.timeUnixNano ?? 0) / 1_000_000n), attributes: attributes(dp.attributes), resource, scope: sm.scope?.name ?? '' });
        }
      }
    }
  }
  return points;
}

function flatten(request: Json, id: (raw: string) => string): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const rs of request.resourceSpans ?? []) {
    const resource = attributes(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        const startMs = Number(BigInt(s.startTimeUnixNano ?? 0) / 1000n) / 1000;
        const endMs = Number(BigInt(s.endTimeUnixNano ?? 0) / 1000n) / 1000;
        spans.push({
          traceId: id(s.traceId ?? ''),
          spanId: id(s.spanId ?? ''),
          parentSpanId: s.parentSpanId ? id(s.parentSpanId) : '',
          name: s.name,
          kind: Number(s.kind ?? 0),
          startMs,
          endMs,
          durationMs: endMs - startMs,
          attributes: attributes(s.attributes),
          status: { code: Number(s.status?.code ?? 0), message: s.status?.message || undefined },
          events: (s.events ?? []).map((e: Json) => ({ name: e.name, attributes: attributes(e.attributes) })),
          resource,
          scope: ss.scope?.name ?? '',
        });
      }
    }
  }
  return spans;
}

function attributes(list: Json[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, anyValue(kv.value)]));
}

function anyValue(v: Json): unknown {
  if (!v) return undefined;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('arrayValue' in v) return (v.arrayValue.values ?? []).map(anyValue);
  if ('kvlistValue' in v) return attributes(v.kvlistValue.values);
  if ('bytesValue' in v) return v.bytesValue;
  return undefined;
}
