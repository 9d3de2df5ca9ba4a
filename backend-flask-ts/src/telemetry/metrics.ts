// The backend's runtime as metrics: event-loop delay and utilization and V8's heap
// (@opentelemetry/instrumentation-runtime-node), the process's CPU and memory
// (@opentelemetry/host-metrics, its process groups only: the host's own come from the
// collector's host_metrics receiver). Exported over OTLP to the collector like the spans,
// which sends them to Honeycomb's metrics dataset (with the dataset header metrics need).
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { HostMetrics } from '@opentelemetry/host-metrics';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { AggregationTemporality, PeriodicExportingMetricReader, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

/** OTEL_METRICS_EXPORTER: otlp (the default) or none. */
export const metricsEnabled = (env: NodeJS.ProcessEnv): boolean => !(env.OTEL_METRICS_EXPORTER ?? 'otlp').split(',').map((s) => s.trim()).includes('none');

/**
 * Says when metric export starts failing, once until it gets through again; the caller shares
 * one warning between spans and metrics, so a down collector costs one line, as for spans.
 */
class QuietMetricExporter implements PushMetricExporter {
  #failing = false;
  readonly inner: PushMetricExporter;
  readonly failing: (error: string) => void;
  constructor(inner: PushMetricExporter, failing: (error: string) => void) {
    this.inner = inner;
    this.failing = failing;
  }
  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    this.inner.export(metrics, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this.#failing = false;
      else if (!this.#failing) {
        this.#failing = true;
        this.failing(result.error?.message ?? 'export failed');
      }
      done(result);
    });
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  selectAggregationTemporality() {
    return AggregationTemporality.CUMULATIVE;
  }
}

/** The reader: every OTEL_METRIC_EXPORT_INTERVAL ms (30 s unless set: a workspace's pace). */
export function metricReader(env: NodeJS.ProcessEnv, failing: (error: string) => void): PeriodicExportingMetricReader {
  const interval = Number(env.OTEL_METRIC_EXPORT_INTERVAL) > 0 ? Number(env.OTEL_METRIC_EXPORT_INTERVAL) : 30_000;
  return new PeriodicExportingMetricReader({
    exporter: new QuietMetricExporter(new OTLPMetricExporter(), failing),
    exportIntervalMillis: interval,
    exportTimeoutMillis: Math.min(interval, 10_000),
  });
}

export const runtimeInstrumentation = () => new RuntimeNodeInstrumentation();

/** Process CPU and memory, once the SDK's meter provider is the global one. */
export function startProcessMetrics(): void {
  new HostMetrics({ name: 'backend-flask-ts', metricGroups: ['process.cpu', 'process.memory'] }).start();
}
