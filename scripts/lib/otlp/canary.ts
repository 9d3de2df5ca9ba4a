import { randomBytes } from 'node:crypto';
import { defaultTextMapSetter, propagation, ROOT_CONTEXT, SpanKind, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';

/** A fresh id per run and hop: a re-run can never mistake an old trace for a new one. */
export const newSmokeId = (hop: string): string => `smoke-${hop}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

export interface Recorder {
  tracer: Tracer;
  finished(): ReadableSpan[];
}

/** Spans recorded in memory with X-Ray compatible ids, to be sent by whichever route a hop tests. */
export function recorder(serviceName: string): Recorder {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'telemetry.sdk.name': 'cruddur-smoke' }),
    idGenerator: new AWSXRayIdGenerator(),
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  return { tracer: provider.getTracer('cruddur-smoke'), finished: () => memory.getFinishedSpans() };
}

export interface Canary {
  traceId: string;
  smokeId: string;
  spans: ReadableSpan[];
}

/** Three spans chained parent to child, named for the hop, each tagged with the smoke id. */
export function canaryTrace(serviceName: string, hop: string, smokeId = newSmokeId(hop)): Canary {
  const { tracer, finished } = recorder(serviceName);
  const attributes = { 'app.smoke_id': smokeId, 'app.smoke_hop': hop };
  const root = tracer.startSpan(`smoke ${hop}`, { kind: SpanKind.SERVER, attributes }, ROOT_CONTEXT);
  const inRoot: Context = trace.setSpan(ROOT_CONTEXT, root);
  const child = tracer.startSpan(`smoke ${hop} child`, { attributes }, inRoot);
  const grandchild = tracer.startSpan(`smoke ${hop} grandchild`, { attributes }, trace.setSpan(inRoot, child));
  grandchild.end();
  child.end();
  root.end();
  return { traceId: root.spanContext().traceId, smokeId, spans: finished() };
}

const propagator = new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });

/**
 * Headers for a request made inside `span`: its trace context (traceparent) and the smoke id
 * as baggage, which the backend copies onto its spans so they can be found by it.
 */
export function smokeHeaders(span: Span, smokeId: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const ctx = propagation.setBaggage(trace.setSpan(ROOT_CONTEXT, span), propagation.createBaggage({ 'app.smoke_id': { value: smokeId } }));
  propagator.inject(ctx, headers, defaultTextMapSetter);
  return headers;
}
