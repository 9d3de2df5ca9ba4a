// OTLP spans to X-Ray segment documents, as the contrib awsxray exporter makes them at the
// pinned image (0.157.0): exporter/awsxrayexporter/internal/translator/segment.go (MakeSegment,
// makeXRayAttributes, fixAnnotationKey, fixSegmentName, convertToAmazonTraceID) and cause.go
// (makeCause's fault/error/throttle). Only what this project's spans exercise: no SQL, AWS SDK,
// local-root or span-link handling.
import type { ReceivedSpan } from '../../scripts/lib/otlp/decode.ts';

const KIND_SERVER = 2;
const KIND_CLIENT = 3;
const STATUS_ERROR = 2;

export interface XraySegment {
  id: string;
  trace_id: string;
  name: string;
  start_time: number;
  end_time: number;
  parent_id?: string;
  type?: 'subsegment';
  namespace?: string;
  fault: boolean;
  error: boolean;
  throttle: boolean;
  http?: { request?: { method?: string; url?: string }; response?: { status?: number } };
  annotations?: Record<string, string | number | boolean>;
  metadata?: Record<string, Record<string, unknown>>;
}

/**
 * segment.go fixAnnotationKey: letters and digits stay, '.' stays while the feature gate
 * exporter.xray.allowDot is on (beta, on by default since v0.97.0), everything else becomes '_'.
 */
export function fixAnnotationKey(key: string, allowDot: boolean): string {
  return [...key].map((c) => (/[0-9A-Za-z]/.test(c) || (allowDot && c === '.') ? c : '_')).join('');
}

/** segment.go fixSegmentName: X-Ray's allowed name characters, at most 200, "span" if none. */
export function fixSegmentName(name: string): string {
  const kept = name.replace(/[^ 0-9\p{L}N_.:/%&#=+\-@]/gu, '').slice(0, 200);
  return kept || 'span';
}

/** segment.go convertToAmazonTraceID: the first 8 hex digits are epoch seconds, within 28 days back and 5 minutes ahead. */
export function amazonTraceId(traceId: string, nowSeconds = Date.now() / 1000): string {
  const epoch = parseInt(traceId.slice(0, 8), 16);
  const delta = Math.floor(nowSeconds) - epoch;
  if (delta > 60 * 60 * 24 * 28 || delta < -60 * 5) throw new Error(`invalid xray traceid: ${traceId}`);
  return `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`;
}

const annotationValue = (v: unknown): string | number | boolean | undefined =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;

function segmentName(span: ReceivedSpan): string {
  const a = span.attributes;
  if (span.kind === KIND_SERVER && typeof a['aws.local.service'] === 'string') return a['aws.local.service'];
  for (const key of ['peer.service', 'aws.service']) if (typeof a[key] === 'string') return a[key] as string;
  if (span.kind === KIND_SERVER && typeof span.resource['service.name'] === 'string') return span.resource['service.name'] as string;
  for (const key of ['rpc.service', 'http.host', 'net.peer.name']) if (typeof a[key] === 'string') return a[key] as string;
  return fixSegmentName(span.name);
}

/** cause.go makeCause: the http status code decides when there is one, else the span status. */
function faults(span: ReceivedSpan) {
  const raw = span.attributes['http.status_code'] ?? span.attributes['http.response.status_code'];
  const code = typeof raw === 'number' ? raw : Number(raw);
  const has = raw !== undefined && Number.isFinite(code);
  if (!has || code < 400 || code > 599) return { fault: span.status.code === STATUS_ERROR, error: false, throttle: false };
  if (code <= 499) return { fault: false, error: true, throttle: code === 429 };
  return { fault: true, error: false, throttle: false };
}

function http(span: ReceivedSpan): XraySegment['http'] {
  const a = span.attributes;
  const method = (a['http.request.method'] ?? a['http.method']) as string | undefined;
  const url = (a['url.full'] ?? a['http.url']) as string | undefined;
  const status = (a['http.response.status_code'] ?? a['http.status_code']) as number | undefined;
  if (method === undefined && url === undefined && status === undefined) return undefined;
  return {
    ...(method || url ? { request: { ...(method ? { method } : {}), ...(url ? { url } : {}) } } : {}),
    ...(status !== undefined ? { response: { status: Number(status) } } : {}),
  };
}

/** One segment document per span (subsegments are separate documents with parent_id and type). */
export function makeSegment(span: ReceivedSpan, indexed: string[], allowDot: boolean): XraySegment {
  const subsegment = span.kind !== KIND_SERVER && span.parentSpanId !== '';
  const annotations: Record<string, string | number | boolean> = {};
  const metadata: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(span.attributes)) {
    const annotation = indexed.includes(key) ? annotationValue(value) : undefined;
    if (annotation !== undefined) annotations[fixAnnotationKey(key, allowDot)] = annotation;
    else if (value !== undefined && value !== null) metadata[key] = value;
  }
  // Only a segment (the local root) carries the resource, as otel.resource.* metadata.
  if (!subsegment) for (const [key, value] of Object.entries(span.resource)) metadata[`otel.resource.${key}`] = value;
  const h = http(span);
  return {
    id: span.spanId,
    trace_id: amazonTraceId(span.traceId),
    name: segmentName(span),
    start_time: span.startMs / 1000,
    end_time: span.endMs / 1000,
    ...(span.parentSpanId ? { parent_id: span.parentSpanId } : {}),
    ...(subsegment ? { type: 'subsegment' as const } : {}),
    ...(span.kind === KIND_CLIENT ? { namespace: 'remote' } : {}),
    ...faults(span),
    ...(h ? { http: h } : {}),
    ...(Object.keys(annotations).length ? { annotations } : {}),
    ...(Object.keys(metadata).length ? { metadata: { default: metadata } } : {}),
  };
}
