import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

export interface ExportWarnings {
  failing(fields: { endpoint: string; error: string; dropped_spans: number }): void;
  recovered(fields: { endpoint: string; dropped_spans: number }): void;
}

/**
 * Wraps the OTLP exporter so that a down or slow trace endpoint costs one warning, not an
 * error per batch: it says when export starts failing and again when it recovers, with the
 * number of spans dropped in between. Requests never wait on export (the batch processor
 * runs it off the request path); this only governs what the logs say.
 */
export class WarningExporter implements SpanExporter {
  readonly #inner: SpanExporter;
  readonly #endpoint: string;
  readonly #warnings: ExportWarnings;
  #failing = false;
  #dropped = 0;

  constructor(inner: SpanExporter, endpoint: string, warnings: ExportWarnings) {
    this.#inner = inner;
    this.#endpoint = endpoint;
    this.#warnings = warnings;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.#inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) {
        if (this.#failing) {
          this.#failing = false;
          this.#warnings.recovered({ endpoint: this.#endpoint, dropped_spans: this.#dropped });
          this.#dropped = 0;
        }
      } else {
        this.#dropped += spans.length;
        if (!this.#failing) {
          this.#failing = true;
          this.#warnings.failing({
            endpoint: this.#endpoint,
            error: result.error?.message ?? 'export failed',
            dropped_spans: this.#dropped,
          });
        }
      }
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush?.() ?? Promise.resolve();
  }
}
