import type { ReceivedSpan } from '../scripts/lib/otlp/decode.ts';
import { COLUMN_TYPES, queryColumns, type BoardQuery } from '../scripts/lib/honeycomb/board.ts';

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

/**
 * The columns each of `service`'s queries names that none of `spans` has; or, for the metrics
 * dataset, none of the events Honeycomb made of the metrics (their fields: `columns`).
 */
export function missingColumns(queries: BoardQuery[], service: BoardQuery['service'], spans: ReceivedSpan[], columns: string[] = []): Record<string, string[]> {
  const have = new Set([...spans.flatMap(spanColumns), ...columns]);
  const out: Record<string, string[]> = {};
  for (const q of queries.filter((x) => x.service === service)) {
    const missing = queryColumns(q.spec).filter((c) => !have.has(c));
    if (missing.length) out[q.name] = missing;
  }
  return out;
}

/** A field's column type as Honeycomb infers it from the first value it sees. */
export const columnType = (v: unknown): 'string' | 'float' | 'integer' | 'boolean' => (typeof v === 'boolean' ? 'boolean' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'float') : 'string');

/**
 * The columns the board would make ahead of the data (COLUMN_TYPES) whose type differs from the
 * one Honeycomb infers from these spans' values: each a column whose later data would not fit.
 */
export function columnTypeMismatches(service: BoardQuery['service'], queries: BoardQuery[], spans: ReceivedSpan[]): Record<string, string> {
  const out: Record<string, string> = {};
  const named = new Set(queries.filter((q) => q.service === service).flatMap((q) => queryColumns(q.spec)));
  for (const span of spans) {
    for (const [column, value] of Object.entries(spanFields(span))) {
      if (!named.has(column) || value === undefined) continue;
      const declared = COLUMN_TYPES[column];
      // A float column takes whole numbers too (duration_ms of exactly 3 ms).
      const seen = columnType(value);
      if (declared !== seen && !(declared === 'float' && seen === 'integer')) out[column] = `declared ${declared ?? '(none)'}, the spans carry ${seen}`;
    }
  }
  return out;
}
