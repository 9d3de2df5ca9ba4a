import { OTLPTraceExporter as OtlpHttpJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobuf } from '@opentelemetry/exporter-trace-otlp-proto';
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { logger } from '../logging/logger.ts';
import { BaggageAttributes } from './baggage-attributes.ts';
import { tracesEndpoint, tracesProtocol } from './otlp-endpoint.ts';
import { WarningExporter } from './warning-exporter.ts';
import { metricReader, metricsEnabled, runtimeInstrumentation, startProcessMetrics } from './metrics.ts';

let sdk: NodeSDK | undefined;

const positive = (value: string | undefined): number | undefined => {
  const n = Number(value);
  return value && Number.isFinite(n) && n >= 0 ? n : undefined;
};

/**
 * What makes this service's spans one trace with a browser span and an X-Ray segment: X-Ray
 * compatible trace ids, W3C and X-Ray propagation, and the smoke's baggage copied onto each
 * span. (bench/span-cost measures spans made with these.)
 */
export function traceJoining() {
  return {
    idGenerator: new AWSXRayIdGenerator(),
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator(), new AWSXRayPropagator()],
    }),
    baggageAttributes: new BaggageAttributes(['app.smoke_id', 'app.synthetic_session']),
  };
}

/**
 * Whether export to the collector is failing now, spans or metrics: whichever fails first says
 * so, once; the other adds nothing until an export gets through again.
 */
let exportFailing = false;

/** OTEL_TRACES_EXPORTER (otlp, console, none) as the SDK reads it, with our warning wrapper on OTLP. */
function spanProcessorsFromEnv(env: NodeJS.ProcessEnv, baggageAttributes: SpanProcessor): SpanProcessor[] {
  const names = (env.OTEL_TRACES_EXPORTER ?? 'otlp').split(',').map((s) => s.trim()).filter(Boolean);
  if (names.includes('none')) return [];
  const processors: SpanProcessor[] = [baggageAttributes];
  if (names.includes('console')) processors.push(new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() }));
  if (names.includes('otlp') || names.length === 0) {
    const endpoint = tracesEndpoint(env);
    const inner: SpanExporter = tracesProtocol(env) === 'http/json' ? new OtlpHttpJson() : new OtlpProtobuf();
    const exporter = new WarningExporter(inner, endpoint, {
      failing: (fields) => {
        if (exportFailing) return;
        exportFailing = true;
        logger.warn('trace export is failing: spans are dropped until the endpoint answers (requests are not affected)', {
          ...fields,
          fix: 'check that the collector is running (docker compose ps) and OTEL_EXPORTER_OTLP_ENDPOINT, or run npm run doctor',
        });
      },
      recovered: (fields) => {
        exportFailing = false;
        logger.info('trace export recovered', fields);
      },
    });
    // The 3.x batch processor no longer reads OTEL_BSP_* itself; NodeSDK only does so for
    // exporters it builds, and we build ours to wrap it.
    processors.push(
      new BatchSpanProcessor({
        exporter,
        // It sends one batch at a time, so when the collector answers slower than the backend
        // makes spans (saturated on 2 cores) the queue takes up the difference: at the SDK's
        // 2,048, 3 s of that dropped 28 % of the spans (test/saturation). A queued span is
        // about 1 KB, so a full queue of 16,384 is 16 MB.
        maxQueueSize: positive(env.OTEL_BSP_MAX_QUEUE_SIZE) ?? 16_384,
        maxExportBatchSize: positive(env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE),
        scheduledDelayMillis: positive(env.OTEL_BSP_SCHEDULE_DELAY),
        exportTimeoutMillis: positive(env.OTEL_BSP_EXPORT_TIMEOUT),
      }),
    );
  }
  return processors;
}

/**
 * Starts tracing, configured only by the standard OTEL_* variables, its spans joined to the
 * browser's and X-Ray's traces (traceJoining). Logs go out as OTLP log records, configured by the SDK from
 * OTEL_LOGS_EXPORTER and OTEL_BLRP_* (logging/logger.ts emits them). The runtime's metrics
 * (metrics.ts) go to the collector too, unless OTEL_METRICS_EXPORTER=none: the collector adds
 * the x-honeycomb-dataset header Honeycomb needs for metrics.
 */
export function startTelemetry(env: NodeJS.ProcessEnv = process.env): void {
  if (sdk) return;
  env.OTEL_SERVICE_NAME ||= 'backend-flask';
  const { idGenerator, textMapPropagator, baggageAttributes } = traceJoining();
  sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME,
    idGenerator,
    textMapPropagator,
    spanProcessors: spanProcessorsFromEnv(env, baggageAttributes),
    metricReaders: metricsEnabled(env)
      ? [
          metricReader(env, (error) => {
            if (exportFailing) return;
            exportFailing = true;
            logger.warn('metric export is failing: metrics and spans are dropped until the endpoint answers (requests are not affected)', { error, fix: 'check that the collector is running (docker compose ps) and OTEL_EXPORTER_OTLP_ENDPOINT, or run npm run doctor' });
          }),
        ]
      : [],
    instrumentations: [
      // Outgoing calls only: incoming requests get their server span from server-span.ts.
      new HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
      ...(metricsEnabled(env) ? [runtimeInstrumentation()] : []),
    ],
  });
  sdk.start();
  if (metricsEnabled(env)) startProcessMetrics();
}

/** Flushes pending spans, bounded so a dead endpoint cannot hold up a container stop. */
export async function shutdownTelemetry(timeoutMs = 5000): Promise<void> {
  if (!sdk) return;
  const current = sdk;
  sdk = undefined;
  // A last export that fails (the collector is down) rejects the shutdown: that is already
  // warned about, and must not turn a clean stop into a crash.
  await Promise.race([current.shutdown().catch(() => {}), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
}
