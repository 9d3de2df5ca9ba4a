// A gauge through the collector (OTEL_COLLECTOR_URL/v1/metrics), as the backend sends its runtime:
// proves the metrics pipeline delivers to Honeycomb's metrics dataset (HONEYCOMB_METRICS_DATASET),
// which takes OTLP metrics only with the x-honeycomb-dataset header the collector adds.
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import { newSmokeId } from '../../lib/otlp/canary.ts';
import type { Settings } from '../../lib/workspace/settings.ts';
import { defineHop, ok, otlpString, postToCollector, stamped, type Hop } from './hop.ts';

/** One OTLP/JSON ExportMetricsServiceRequest: a gauge of 1 whose data point carries the smoke id. */
export function smokeMetric(serviceName: string, smokeId: string) {
  return {
    resourceMetrics: [
      {
        resource: { attributes: [otlpString('service.name', serviceName), otlpString('telemetry.sdk.name', 'cruddur-smoke')] },
        scopeMetrics: [
          {
            scope: { name: 'cruddur-smoke' },
            metrics: [
              {
                name: 'cruddur.smoke',
                unit: '1',
                description: 'One data point per smoke run, found by its app.smoke_id',
                gauge: { dataPoints: [{ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), asInt: '1', attributes: [otlpString('app.smoke_id', smokeId), otlpString('app.smoke_hop', 'metrics')] }] },
              },
            ],
          },
        ],
      },
    ],
  };
}

const target = (settings: Settings) => ({
  dataset: settings.metricsDataset.value,
  signal: 'metrics' as const,
  what: 'the smoke metric',
  sharedWith: "the host's metrics (every 30 s) and the backend's runtime",
});

export const metricsHop: Hop = defineHop({
  name: 'metrics',
  // Metrics go to Honeycomb alone (X-Ray takes no metrics): without a key there is nowhere to look.
  configured: (settings) => Boolean(settings.honeycombKey),
  sendsTo: (settings) => settings.collectorUrl,
  destinations: (_p, settings) => ({ honeycomb: Boolean(settings.honeycombKey), xray: false }),
  honeycombTarget: target,
  nowhere: 'not confirmed: nowhere to look: metrics go to Honeycomb alone (X-Ray takes none) and no HONEYCOMB_API_KEY is set, so nothing can show whether the metric arrived. Save one (npm run setup)',
  send: (ctx) =>
    stamped(
      ctx,
      Boolean(ctx.settings.honeycombKey),
      async () => {
        const smokeId = newSmokeId('metrics');
        const traceId = new AWSXRayIdGenerator().generateTraceId(); // a metric has none; the report's shape wants one
        const error = await postToCollector(ctx, 'metrics', smokeMetric(ctx.settings.serviceName.value, smokeId), 'metric');
        return { traceId, smokeId, error };
      },
      target(ctx.settings).dataset,
    ),
  likelyCause: (r, all, settings) => {
    if (!r.sent) return `the collector's metrics pipeline at ${settings.collectorUrl.value}: start it (docker compose up -d otel-collector) or set OTEL_COLLECTOR_URL`;
    if (ok(all, 'collector')) {
      return `the collector delivers spans but not metrics: its otlp_http/honeycomb-metrics exporter names dataset ${settings.metricsDataset.value} in x-honeycomb-dataset, read when it starts (docker compose up -d otel-collector after changing HONEYCOMB_METRICS_DATASET); docker compose logs otel-collector names its error, and npm run doctor -- --only honeycomb says whether the dataset is written`;
    }
    return 'the collector itself: the collector hop failed too (see collector)';
  },
});
