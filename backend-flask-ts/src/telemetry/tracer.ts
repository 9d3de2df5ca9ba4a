import { trace } from '@opentelemetry/api';

/** The API's tracer; a no-op until telemetry/register.ts has started the SDK. */
export const tracer = trace.getTracer('backend-flask-ts');
