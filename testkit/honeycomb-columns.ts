import type { ReceivedSpan } from '../scripts/lib/otlp/decode.ts';
import type { BoardQuery } from '../scripts/lib/honeycomb/board.ts';

const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

/**
 * The fields a span becomes in Honeycomb: its attributes and its resource's, and the fields
 * Honeycomb derives from the span itself (docs.honeycomb.io, "Honeycomb Dataset Fields": name,
 * duration_ms, span.kind, trace.trace_id / span_id / parent_id, error for a span whose status
 * is error, status_code).
 */
export function spanFields(span: ReceivedSpan): Record<string, unknown> {
  return {
    ...span.attributes,
    ...span.resource,
    name: span.name,
    duration_ms: span.durationMs,
    status_code: span.status.code,
    'trace.trace_id': span.traceId,
    'trace.span_id': span.spanId,
    ...(span.parentSpanId ? { 'trace.parent_id': span.parentSpanId } : {}),
    ...(KINDS[span.kind] ? { 'span.kind': KINDS[span.kind] } : {}),
    ...(span.status.code === 2 ? { error: true } : {}),
  };
}

/** The columns a span becomes in Honeycomb. */
export const spanColumns = (span: ReceivedSpan): string[] => Object.keys(spanFields(span));

/** Every column a board query names: calculations, filters, breakdowns and orders. */
export function queryColumns(q: BoardQuery): string[] {
  const s = q.spec;
  return [...s.calculations.flatMap((c) => (c.column ? [c.column] : [])), ...(s.filters ?? []).map((f) => f.column), ...(s.breakdowns ?? []), ...(s.orders ?? []).flatMap((o) => (o.column ? [o.column] : []))];
}

/**
 * The columns each of `service`'s queries names that none of `spans` has; or, for the metrics
 * dataset, none of the events Honeycomb made of the metrics (their fields: `columns`).
 */
export function missingColumns(queries: BoardQuery[], service: BoardQuery['service'], spans: ReceivedSpan[], columns: string[] = []): Record<string, string[]> {
  const have = new Set([...spans.flatMap(spanColumns), ...columns]);
  const out: Record<string, string[]> = {};
  for (const q of queries.filter((x) => x.service === service)) {
    const missing = queryColumns(q).filter((c) => !have.has(c));
    if (missing.length) out[q.name] = missing;
  }
  return out;
}
