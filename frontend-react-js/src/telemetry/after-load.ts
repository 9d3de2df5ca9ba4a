import type { Tracer } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { recordWebVitals } from './vitals.ts';

/**
 * What can start once the page has loaded, off its critical path: document-load reads the
 * performance timeline after the fact, and web-vitals' observers are buffered.
 */
export function startAfterLoad(tracer: Tracer, firstPath: string): void {
  registerInstrumentations({ instrumentations: [new DocumentLoadInstrumentation()] });
  recordWebVitals(tracer, firstPath);
}
