// bench/span-cost: what the backend's two spans per request cost on their own, apart from
// HTTP, Express and the export request: the floor under bench:backend's tracing cost.
//   npm run bench:spans -- [--requests 100000]
// 1. make and end the spans of GET /api/activities/home (the server span with the
//    attributes server-span.ts sets, the custom span inside it), with the backend's own
//    X-Ray ids, propagators and baggage processor (sdk.ts traceJoining), and a batch processor;
// 2. serialise them as the OTLP/protobuf exporter does, in batches of 512;
// 3. what handing them to a worker thread would cost this thread instead.
// Packages are resolved from backend-flask-ts, so the versions are the ones it ships.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../scripts/lib/workspace/settings.ts';
import { serialize } from 'node:v8';
import { traceJoining } from '../backend-flask-ts/src/telemetry/sdk.ts';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '100000' } } });
const N = Number(values.requests);
const backend = createRequire(join(REPO_ROOT, 'backend-flask-ts', 'package.json'));
const load = <T>(name: string) => backend(name) as T;
const api = load<typeof import('@opentelemetry/api')>('@opentelemetry/api');
const sdk = load<typeof import('@opentelemetry/sdk-trace')>('@opentelemetry/sdk-trace');
const { AsyncLocalStorageContextManager } = load<typeof import('@opentelemetry/context-async-hooks')>('@opentelemetry/context-async-hooks');
const { ProtobufTraceSerializer } = load<typeof import('@opentelemetry/otlp-transformer')>('@opentelemetry/otlp-transformer');

const memory = new sdk.InMemorySpanExporter();
const { idGenerator, textMapPropagator, baggageAttributes } = traceJoining(); // the backend's own
const provider = new sdk.TracerProvider({
  idGenerator,
  spanProcessors: [baggageAttributes, new sdk.BatchSpanProcessor({ exporter: memory, maxQueueSize: 2 * N + 1e5, scheduledDelayMillis: 1e9 })],
});
api.trace.setGlobalTracerProvider(provider);
api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
api.propagation.setGlobalPropagator(textMapPropagator);
const tracer = api.trace.getTracer('bench');
const headers = { host: '127.0.0.1:4567', connection: 'keep-alive', 'user-agent': 'bench' };

function request() {
  const parent = api.propagation.extract(api.ROOT_CONTEXT, headers);
  const attributes = { 'http.request.method': 'GET', 'url.scheme': 'http', 'server.address': '127.0.0.1', 'network.peer.address': '127.0.0.1', 'network.peer.port': 45678, 'network.protocol.version': '1.1', 'user_agent.original': 'bench', 'url.path': '/api/activities/home', 'client.address': '127.0.0.1', 'server.port': 4567 };
  const span = tracer.startSpan('GET', { kind: api.SpanKind.SERVER, attributes }, parent);
  api.context.with(api.trace.setSpan(parent, span), () => {
    tracer.startActiveSpan('home-activities-mock-data', (inner) => {
      inner.setAttribute('app.now', new Date().toISOString()).setAttribute('app.result_length', 3);
      inner.end();
    });
  });
  span.setAttribute('http.response.status_code', 200).setAttribute('http.route', '/api/activities/home').updateName('GET /api/activities/home');
  span.end();
}

for (let i = 0; i < N / 5; i++) request(); // JIT warm-up
let t0 = performance.now();
for (let i = 0; i < N; i++) request();
const makeUs = ((performance.now() - t0) * 1000) / N;

await provider.forceFlush();
const spans = memory.getFinishedSpans().slice(-2 * N);
const batches: (typeof spans)[] = [];
for (let i = 0; i + 512 <= spans.length; i += 512) batches.push(spans.slice(i, i + 512));
for (const b of batches.slice(0, 20)) ProtobufTraceSerializer.serializeRequest(b); // warm-up
let bytes = 0;
t0 = performance.now();
for (const b of batches) bytes += ProtobufTraceSerializer.serializeRequest(b)!.length;
const serializeUs = ((performance.now() - t0) * 1000) / (batches.length * 256); // per request: 2 spans
const batchMs = (performance.now() - t0) / batches.length;

// 3. what the request thread would do instead with export on a worker thread (#40, tried and
//    measured): each span as plain data (the fields the OTLP transformer reads), copied by V8's
//    serializer as postMessage does, 64 spans at a time. It cost as much as serialising OTLP
//    (and the worker's own CPU came on top, on the same 2 cores), so export stays here.
type Finished = (typeof spans)[number];
const spanBatch = (batch: Finished[]) =>
  batch.map((s) => {
    const c = s.spanContext();
    return {
      context: { traceId: c.traceId, spanId: c.spanId, traceFlags: c.traceFlags, traceState: c.traceState?.serialize() },
      parent: s.parentSpanContext && { spanId: s.parentSpanContext.spanId, isRemote: s.parentSpanContext.isRemote },
      scope: { name: s.instrumentationScope.name, version: s.instrumentationScope.version },
      name: s.name, kind: s.kind, startTime: s.startTime, endTime: s.endTime, attributes: s.attributes, status: s.status,
      events: s.events, links: s.links.map((l) => ({ ...l, context: { ...l.context, traceState: l.context.traceState?.serialize() } })),
      dropped: [s.droppedAttributesCount, s.droppedEventsCount, s.droppedLinksCount],
    };
  });
const handovers: (typeof spans)[] = [];
for (let i = 0; i + 64 <= spans.length; i += 64) handovers.push(spans.slice(i, i + 64));
for (const h of handovers.slice(0, 100)) serialize(spanBatch(h)); // warm-up
t0 = performance.now();
let handoverBytes = 0;
for (const h of handovers) handoverBytes += serialize(spanBatch(h)).length;
const handoverUs = ((performance.now() - t0) * 1000) / (handovers.length * 32);

console.log(`${N} requests of GET /api/activities/home, 2 spans each`);
console.log(`make and end the spans:   ${makeUs.toFixed(1)} µs per request`);
console.log(`serialise (OTLP/protobuf): ${serializeUs.toFixed(1)} µs per request, ${(bytes / (batches.length * 512)).toFixed(0)} bytes per span; one batch of 512 holds the event loop ${batchMs.toFixed(1)} ms`);
console.log(`hand to a worker thread instead (plain data + V8 serialize, 64 at a time): ${handoverUs.toFixed(1)} µs per request, ${(handoverBytes / (handovers.length * 64)).toFixed(0)} bytes per span`);
console.log(`together:                 ${(makeUs + serializeUs).toFixed(1)} µs per request, before the export request and the handler's own work`);
