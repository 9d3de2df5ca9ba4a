// A log record through the collector (OTEL_COLLECTOR_URL/v1/logs), as the backend sends its own:
// proves the logs pipeline delivers to Honeycomb, and to CloudWatch Logs when CLOUDWATCH_LOGS=true.
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import { newSmokeId } from '../../lib/otlp/canary.ts';
import { defineHop, ok, otlpString, postToCollector, stamped, type Hop } from './hop.ts';

/** One OTLP/JSON ExportLogsServiceRequest (the OTLP specification's JSON encoding: hex ids). */
export function smokeLogRecord(serviceName: string, smokeId: string, traceId: string) {
  return {
    resourceLogs: [
      {
        resource: { attributes: [otlpString('service.name', serviceName), otlpString('telemetry.sdk.name', 'cruddur-smoke')] },
        scopeLogs: [
          {
            scope: { name: 'cruddur-smoke' },
            logRecords: [
              {
                timeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                severityNumber: 9,
                severityText: 'INFO',
                body: { stringValue: `smoke ${smokeId}` },
                attributes: [otlpString('app.smoke_id', smokeId), otlpString('app.smoke_hop', 'logs')],
                traceId,
              },
            ],
          },
        ],
      },
    ],
  };
}

export const logsHop: Hop = defineHop({
  name: 'logs',
  // Log records go to Honeycomb, and to CloudWatch Logs with CLOUDWATCH_LOGS=true; not to X-Ray.
  configured: (settings) => Boolean(settings.honeycombKey) || (settings.cloudwatchLogs.value === 'true' && settings.awsCredentials),
  sendsTo: (settings) => settings.collectorUrl,
  destinations: (_p, settings) => ({ honeycomb: Boolean(settings.honeycombKey), xray: false, cloudwatchLogs: settings.cloudwatchLogs.value === 'true' && settings.awsCredentials }),
  nowhere:
    'not confirmed: nowhere to look: log records go to Honeycomb, and to CloudWatch Logs only with CLOUDWATCH_LOGS=true (X-Ray takes none); no HONEYCOMB_API_KEY is set and CloudWatch Logs is off or has no AWS credentials. Save a key (npm run setup), or set CLOUDWATCH_LOGS=true',
  send: (ctx) =>
    stamped(ctx, Boolean(ctx.settings.honeycombKey), async () => {
      const smokeId = newSmokeId('logs');
      const traceId = new AWSXRayIdGenerator().generateTraceId(); // as the canary spans' ids
      const error = await postToCollector(ctx, 'logs', smokeLogRecord(ctx.settings.serviceName.value, smokeId, traceId), 'log record');
      return { traceId, smokeId, error };
    }),
  likelyCause: (r, all, settings) => {
    if (!r.sent) return `the collector's logs pipeline at ${settings.collectorUrl.value}: start it (docker compose up -d otel-collector) or set OTEL_COLLECTOR_URL`;
    if (ok(all, 'collector') || r.evidence) {
      return settings.cloudwatchLogs.value === 'true'
        ? 'the collector took the log record but CloudWatch Logs did not get it. The collector reads CLOUDWATCH_LOGS only when it starts: docker compose up -d otel-collector. If it was started with it, docker compose logs otel-collector names the awscloudwatchlogs error, and npm run doctor -- --only aws checks the group and permissions'
        : 'the collector delivers spans but not this log record: check its logs pipeline (docker compose logs otel-collector)';
    }
    return 'the collector itself: the collector hop failed too (see collector)';
  },
});
