// Through the collector (OTEL_COLLECTOR_URL): proves it takes OTLP and delivers to both destinations.
import { canaryTrace } from '../../lib/otlp/canary.ts';
import { sendSpans } from '../../lib/otlp/send.ts';
import type { Settings } from '../../lib/workspace/settings.ts';
import type { Preflight } from '../preflight.ts';
import { collectorTraces, defineHop, ok, stamped, type Hop } from './hop.ts';

/** Every destination that is configured: the collector forwards to both. */
export const configuredDestinations = (_p: Preflight, settings: Settings) => ({ honeycomb: Boolean(settings.honeycombKey), xray: settings.awsCredentials });

export const collectorHop: Hop = defineHop({
  name: 'collector',
  configured: () => true,
  sendsTo: (settings) => settings.collectorUrl,
  destinations: configuredDestinations,
  send: (ctx) =>
    stamped(ctx, Boolean(ctx.settings.honeycombKey), async () => {
      const canary = canaryTrace(ctx.settings.serviceName.value, 'collector');
      const url = collectorTraces(ctx.settings);
      const result = await sendSpans(canary.spans, url, {}, 5000);
      return { ...canary, error: result.ok ? undefined : `the collector at ${url} did not take the spans: ${result.error}` };
    }),
  likelyCause: (r, all, settings) => {
    if (!r.sent) return `the collector is not reachable at ${settings.collectorUrl.value}: start it (docker compose up -d otel-collector) or set OTEL_COLLECTOR_URL`;
    if (ok(all, 'honeycomb') || ok(all, 'xray')) {
      return 'the collector: it took the spans but did not deliver them while the direct hops work. Check its exporters (docker compose logs otel-collector) and that its container has the key and credentials (npm run doctor -- --only workspace)';
    }
    return 'the destinations themselves: the direct hops failed too (see honeycomb and xray)';
  },
});
