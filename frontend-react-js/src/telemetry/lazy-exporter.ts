import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

// A failed export has already been retried by the OTLP exporter within its timeout. After one,
// batches are dropped without a request for 5 s, then 10, 20, up to a minute; the first
// attempt that gets through ends it. A dead collector then costs a few requests a minute,
// not several per batch (each a console error in the browser).
const FIRST_PAUSE_MS = 5000;
const MAX_PAUSE_MS = 60_000;

/**
 * Loads the OTLP exporter (and its serializer) after the page's load event, instead of parsing
 * it before the first paint; and backs off while the collector is unreachable.
 */
export class LazyExporter implements SpanExporter {
  readonly #load: () => Promise<SpanExporter>;
  #exporter: Promise<SpanExporter> | undefined;
  #failures = 0;
  #pausedUntil = 0;

  constructor(load: () => Promise<SpanExporter>) {
    this.#load = load;
  }

  #get(): Promise<SpanExporter> {
    return (this.#exporter ??= this.#load());
  }

  /**
   * Loads the exporter now (once the page has loaded), so it is ready when the page is left:
   * loading it only at the flush on pagehide lost every span of a page left within its first
   * batch (the chunk's request cannot finish as the page goes).
   */
  preload(): void {
    this.#get().catch(() => {});
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (performance.now() < this.#pausedUntil) {
      done({ code: 1, error: new Error('the collector was unreachable: backing off') }); // ExportResultCode.FAILED
      return;
    }
    const settle = (result: ExportResult) => {
      if (result.code === 0) {
        this.#failures = 0;
      } else {
        this.#failures++;
        this.#pausedUntil = performance.now() + Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (this.#failures - 1));
      }
      done(result);
    };
    this.#get().then(
      (exporter) => exporter.export(spans, settle),
      (error: Error) => settle({ code: 1, error }),
    );
  }

  async shutdown(): Promise<void> {
    if (this.#exporter) await (await this.#exporter).shutdown();
  }

  async forceFlush(): Promise<void> {
    if (this.#exporter) await (await this.#exporter).forceFlush?.();
  }
}
