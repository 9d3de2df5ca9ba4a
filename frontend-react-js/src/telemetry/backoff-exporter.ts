import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

// A failed export has already been retried by the OTLP exporter within its timeout. After one,
// batches are dropped without a request for 5 s, then 10, 20, up to a minute; the first
// attempt that gets through ends it. A dead collector then costs a few requests a minute,
// not several per batch (each a console error in the browser).
const FIRST_PAUSE_MS = 5000;
const MAX_PAUSE_MS = 60_000;

/** An exporter that backs off while the collector is unreachable. */
export class BackoffExporter implements SpanExporter {
  readonly #exporter: SpanExporter;
  #failures = 0;
  #pausedUntil = 0;

  constructor(exporter: SpanExporter) {
    this.#exporter = exporter;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (performance.now() < this.#pausedUntil) {
      done({ code: 1, error: new Error('the collector was unreachable: backing off') }); // ExportResultCode.FAILED
      return;
    }
    this.#exporter.export(spans, (result) => {
      if (result.code === 0) {
        this.#failures = 0;
      } else {
        this.#failures++;
        this.#pausedUntil = performance.now() + Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (this.#failures - 1));
      }
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.#exporter.shutdown();
  }

  async forceFlush(): Promise<void> {
    await this.#exporter.forceFlush?.();
  }
}
