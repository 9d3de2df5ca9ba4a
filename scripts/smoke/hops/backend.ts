// Through the backend: a request carrying traceparent and the smoke id as baggage, confirmed
// only by the backend's own spans, which reach the destinations through the collector.
import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { newSmokeId, recorder, smokeHeaders } from '../../lib/otlp/canary.ts';
import { networkFault } from '../../lib/net/faults.ts';
import { sendSpans } from '../../lib/otlp/send.ts';
import { configuredDestinations } from './collector.ts';
import { collectorTraces, defineHop, ok, stamped, type Hop } from './hop.ts';

export const backendHop: Hop = defineHop({
  name: 'backend',
  configured: () => true,
  sendsTo: (settings) => settings.backendUrl,
  destinations: configuredDestinations,
  send: (ctx) =>
    stamped(ctx, Boolean(ctx.settings.honeycombKey), async () => {
      const smokeId = newSmokeId('backend');
      const { tracer, finished } = recorder(ctx.settings.serviceName.value);
      // The smoke id travels only as baggage: the hop is confirmed by the backend's own spans.
      const root = tracer.startSpan('smoke backend', { kind: SpanKind.CLIENT, attributes: { 'app.smoke_hop': 'backend' } }, ROOT_CONTEXT);
      const headers = smokeHeaders(root, smokeId);
      const url = `${ctx.settings.backendUrl.value.replace(/\/+$/, '')}/api/activities/home`;
      const traceId = root.spanContext().traceId;
      try {
        const res = await fetch(url, { headers, signal: AbortSignal.any([AbortSignal.timeout(5000), ctx.signal]) });
        await res.arrayBuffer();
        root.setAttribute('http.response.status_code', res.status);
        if (!res.ok) return { traceId, smokeId, error: `the backend answered ${res.status} at ${url}` };
      } catch (err) {
        const f = networkFault(err, url, 'the backend', 'start it: docker compose up -d backend-flask-ts');
        return { traceId, smokeId, error: f ? `${f.cause}: ${f.fix}` : `the backend request failed: ${(err as Error).message}` };
      } finally {
        root.end();
      }
      // The smoke's root span completes the trace, sent once the hop is judged so it cannot
      // be what confirms it (by the dataset's last write).
      return { traceId, smokeId, after: () => sendSpans(finished(), collectorTraces(ctx.settings), {}, 5000) };
    }),
  likelyCause: (r, all, settings) => {
    if (!r.sent) return `the backend is not reachable at ${settings.backendUrl.value}: start it (docker compose up -d) or set BACKEND_URL`;
    if (ok(all, 'collector')) {
      return 'the backend: it answered, but its spans did not arrive while the collector works. Check its OTEL_EXPORTER_OTLP_ENDPOINT points at the collector (docker compose exec backend-flask-ts env | grep OTEL)';
    }
    return 'the collector: the backend exports through it, and the collector hop failed too';
  },
});
