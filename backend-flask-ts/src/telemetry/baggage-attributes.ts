import { propagation, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

/**
 * Copies chosen W3C baggage entries onto every span as attributes. `npm run smoke` sends
 * `app.smoke_id` as baggage so the backend's spans can be found by it in Honeycomb, and in
 * X-Ray (the collector indexes it as an annotation). (The contrib baggage-span-processor
 * does the same but pins the 2.x SDK.)
 */
export class BaggageAttributes implements SpanProcessor {
  readonly #keys: Set<string>;
  constructor(keys: string[]) {
    this.#keys = new Set(keys);
  }
  onStart(span: Span, parentContext: Context): void {
    for (const [key, entry] of propagation.getBaggage(parentContext)?.getAllEntries() ?? []) {
      if (this.#keys.has(key)) span.setAttribute(key, entry.value);
    }
  }
  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
