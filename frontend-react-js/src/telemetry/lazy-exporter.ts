import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/**
 * Loads the OTLP exporter (and its serializer) on the first export, a second or more after
 * the page started, instead of parsing it before the first paint.
 */
export class LazyExporter implements SpanExporter {
  readonly #load: () => Promise<SpanExporter>;
  #exporter: Promise<SpanExporter> | undefined;

  constructor(load: () => Promise<SpanExporter>) {
    this.#load = load;
  }

  #get(): Promise<SpanExporter> {
    return (this.#exporter ??= this.#load());
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.#get().then(
      (exporter) => exporter.export(spans, done),
      (error: Error) => done({ code: 1, error }), // ExportResultCode.FAILED
    );
  }

  async shutdown(): Promise<void> {
    if (this.#exporter) await (await this.#exporter).shutdown();
  }

  async forceFlush(): Promise<void> {
    if (this.#exporter) await (await this.#exporter).forceFlush?.();
  }
}
