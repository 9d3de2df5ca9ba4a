import { xrayTraceId } from './console-links.ts';

/** The little of a span an X-Ray segment needs, whether it came from the SDK or off the wire. */
export interface SpanLike {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  startMs: number;
  endMs: number;
  attributes: Record<string, unknown>;
}

/** X-Ray annotation keys allow letters, digits and '_': the awsxray exporter maps the rest to '_'. */
export const annotationKey = (attribute: string): string => attribute.replace(/[^A-Za-z0-9_]/g, '_');

interface Segment {
  name: string;
  id: string;
  trace_id?: string;
  parent_id?: string;
  start_time: number;
  end_time: number;
  annotations?: Record<string, string | number | boolean>;
  subsegments?: Segment[];
}

/**
 * One X-Ray segment document per root span (named for the service, as the group filter
 * service("...") expects), its descendants nested as subsegments, and the chosen attributes
 * indexed as annotations.
 */
export function segmentDocuments(spans: SpanLike[], serviceName: string, indexed: string[]): string[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const toSegment = (span: SpanLike, root: boolean): Segment => {
    const annotations = Object.fromEntries(
      indexed.filter((k) => span.attributes[k] !== undefined).map((k) => [annotationKey(k), span.attributes[k] as string]),
    );
    const children = spans.filter((s) => s.parentSpanId === span.spanId).map((s) => toSegment(s, false));
    return {
      name: root ? serviceName : span.name,
      id: span.spanId,
      ...(root ? { trace_id: xrayTraceId(span.traceId) } : {}),
      ...(root && span.parentSpanId ? { parent_id: span.parentSpanId } : {}),
      start_time: span.startMs / 1000,
      end_time: span.endMs / 1000,
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ...(children.length ? { subsegments: children } : {}),
    };
  };
  return spans.filter((s) => !ids.has(s.parentSpanId)).map((s) => JSON.stringify(toSegment(s, true)));
}
