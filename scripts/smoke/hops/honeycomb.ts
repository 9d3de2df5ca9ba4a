// Straight to Honeycomb with the key: proves the key, its environment and the region.
import { canaryTrace } from '../../lib/otlp/canary.ts';
import { sendSpans } from '../../lib/otlp/send.ts';
import { defineHop, stamped, type Hop } from './hop.ts';

export const honeycombHop: Hop = defineHop({
  name: 'honeycomb',
  configured: (settings) => Boolean(settings.honeycombKey),
  destinations: () => ({ honeycomb: true, xray: false }),
  send: (ctx) =>
    stamped(ctx, true, async () => {
      const canary = canaryTrace(ctx.settings.serviceName.value, 'honeycomb');
      const h = ctx.preflight.honeycomb;
      if (!h?.auth) return { ...canary, error: h?.error ?? 'HONEYCOMB_API_KEY is not set: run npm run setup' };
      const result = await sendSpans(canary.spans, `${h.api.endpoint}/v1/traces`, { 'x-honeycomb-team': h.key });
      return { ...canary, error: result.ok ? undefined : `Honeycomb refused the spans: ${result.error}` };
    }),
  likelyCause: () => 'Honeycomb: the key, its environment or the region (npm run doctor -- --only honeycomb)',
});
