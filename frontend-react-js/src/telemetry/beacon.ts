import { resourceAttributes } from './resource.ts';
import { waiting, type Attribute } from './spans.ts';

// OTLP/JSON as https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding defines it:
// ids in hex, enums as their numbers, 64-bit integers (the nanosecond times) as strings.
const value = (v: Attribute) =>
  typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
const keyValues = (attributes: Record<string, Attribute>) => Object.entries(attributes).map(([key, v]) => ({ key, value: value(v) }));
const nanos = (ms: number) => `${Math.round(ms * 1000)}000`;

/**
 * The page is going before the SDK has loaded (left within a moment of its data): sends the
 * spans ended so far to the collector, as the SDK's exporter would, so none is lost. A
 * keepalive fetch outlives the page, as sendBeacon does, and may carry JSON to another origin
 * (split mode) after a preflight, which sendBeacon may not.
 */
export function sendBeforeSdk(tracesUrl: string): void {
  const ended = waiting.filter((r) => r.end !== undefined);
  if (!ended.length) return;
  for (const r of ended) waiting.splice(waiting.indexOf(r), 1);
  const body = {
    resourceSpans: [{
      resource: { attributes: keyValues(resourceAttributes()) },
      scopeSpans: [{
        scope: { name: 'cruddur-frontend', version: __APP_VERSION__ },
        spans: ended.map((r) => ({
          traceId: r.traceId,
          spanId: r.spanId,
          ...(r.parentSpanId ? { parentSpanId: r.parentSpanId } : {}),
          name: r.name,
          kind: r.kind,
          startTimeUnixNano: nanos(r.start),
          endTimeUnixNano: nanos(r.end!),
          attributes: keyValues(r.attributes),
          ...(r.status ? { status: r.status } : {}),
        })),
      }],
    }],
  };
  void fetch(tracesUrl, { method: 'POST', keepalive: true, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch(() => {});
}
