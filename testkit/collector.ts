import { PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import { startOtlpSink } from '../scripts/lib/otlp/sink.ts';
import { segmentDocuments } from '../scripts/lib/xray-segments.ts';
import { INDEXED } from '../scripts/smoke/remote.ts';

export interface CollectorStandIn {
  honeycomb?: { url: string; key: string };
  xray?: { url: string; region: string };
  /** false: accepts spans and drops them, as a collector whose exporters fail. */
  deliver?: boolean;
  corsOrigins?: string[];
}

/**
 * Stands in for otel-collector: an OTLP/HTTP receiver whose pipeline forwards each export
 * to Honeycomb (the same OTLP body, with x-honeycomb-team) and to X-Ray (segments with the
 * indexed attributes as annotations, as the awsxray exporter makes them).
 */
export async function startCollectorStandIn(opts: CollectorStandIn) {
  const state = { deliver: opts.deliver ?? true, forwarded: 0 };
  const xray = opts.xray
    ? new XRayClient({ endpoint: opts.xray.url, region: opts.xray.region, credentials: { accessKeyId: 'AKIACOLLECTOR', secretAccessKey: 'collector-secret' } })
    : undefined;
  const sink = await startOtlpSink({
    corsOrigins: opts.corsOrigins,
    corsHeaders: ['traceparent', 'tracestate', 'baggage'],
    onExport: (spans, body, req) => {
      if (!state.deliver) return;
      state.forwarded++;
      if (opts.honeycomb) {
        void fetch(`${opts.honeycomb.url}/v1/traces`, {
          method: 'POST',
          body: new Uint8Array(body),
          headers: { 'content-type': String(req.headers['content-type']), 'x-honeycomb-team': opts.honeycomb.key },
        }).catch(() => {});
      }
      if (xray) {
        const byService = new Map<string, typeof spans>();
        for (const s of spans) {
          const name = String(s.resource['service.name']);
          byService.set(name, [...(byService.get(name) ?? []), s]);
        }
        for (const [service, list] of byService) {
          void xray.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: segmentDocuments(list, service, INDEXED) })).catch(() => {});
        }
      }
    },
  });
  return {
    ...sink,
    setDeliver(deliver: boolean) {
      state.deliver = deliver;
    },
  };
}
