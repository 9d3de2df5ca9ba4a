import { context, diag, DiagLogLevel, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Context } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, StackContextManager, TracerProvider, type IdGenerator, type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { BackoffExporter } from './backoff-exporter.ts';
import { spanId, traceId } from './ids.ts';
import { pageAttributes } from './page.ts';
import { resourceAttributes } from './resource.ts';
import { telemetry } from './hooks.ts';
import { handOver, type SpanRecord } from './spans.ts';
import { recordWebVitals } from './vitals.ts';

// The OpenTelemetry SDK, loaded once the first page has its data (tracing.ts): the exporter,
// batching, document-load and web vitals. The spans made before it arrive here with their
// ids and times (spans.ts) and become real spans.

/** Hands the SDK the ids a span was given before it existed; else X-Ray-compatible new ones. */
class GivenIds implements IdGenerator {
  next: SpanRecord | undefined;
  generateTraceId(): string {
    return this.next?.traceId ?? traceId();
  }
  generateSpanId(): string {
    return this.next?.spanId ?? spanId();
  }
}

/**
 * Stamps the page on spans that did not come through spans.ts (document-load's), and names the
 * tab's root spans for X-Ray: its awsxray exporter names a segment by service.name only for a
 * server span, so a click or a page load would show as "click"; a local root is named by
 * aws.local.service (exporter/awsxrayexporter/internal/translator/segment.go, v0.152.0).
 */
class PageAttributes implements SpanProcessor {
  readonly #service: string;
  constructor(service: string) {
    this.#service = service;
  }
  onStart(span: Span, _parent: Context): void {
    for (const [key, value] of Object.entries(pageAttributes())) if (span.attributes[key] === undefined) span.setAttribute(key, value);
    if (!span.parentSpanContext) span.setAttributes({ 'aws.span.kind': 'LOCAL_ROOT', 'aws.local.service': this.#service });
  }
  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

// Under the dev server every source module is a resource the page fetched, about 66 a load
// (105 KB of spans): noise in every query. The page's own fetches are resources too, and have
// their spans already (fetch-spans.ts). Neither is sent as a resourceFetch span.
const DEV_MODULE = /^\/(src|node_modules|@vite|@react-refresh|@id|@fs)\//;
const OWN_FETCH = /^\/(api\/|v1\/traces$)/;
const pathOf = (url: unknown) => {
  try {
    return new URL(String(url)).pathname;
  } catch {
    return '';
  }
};

/** The batch processor, without the resourceFetch spans no question needs. */
class WithoutNoise implements SpanProcessor {
  readonly #inner: SpanProcessor;
  constructor(inner: SpanProcessor) {
    this.#inner = inner;
  }
  onStart(span: Span, parent: Context): void {
    this.#inner.onStart(span, parent);
  }
  onEnd(span: ReadableSpan): void {
    if (span.name === 'resourceFetch') {
      const path = pathOf(span.attributes['url.full']);
      if (DEV_MODULE.test(path) || OWN_FETCH.test(path)) return;
    }
    this.#inner.onEnd(span);
  }
  forceFlush(): Promise<void> {
    return this.#inner.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }
}

/**
 * `firstUrl` is the address the tab loaded. The SDK arrives seconds later (tracing.ts), maybe
 * after a click to another page: document-load's spans and the web vitals still describe the
 * document loaded, not the page open when they are made.
 */
export function startSdk(tracesUrl: string, firstUrl: string, opts: { lcpSent?: boolean } = {}): { flush: () => void } {
  const first = new URL(firstUrl);
  const firstPage = { 'page.path': first.pathname, 'page.route': telemetry.routePattern(first.pathname) };
  const ids = new GivenIds();
  const resource = resourceAttributes();
  const provider = new TracerProvider({
    resource: resourceFromAttributes(resource),
    idGenerator: ids,
    spanProcessors: [
      new PageAttributes(String(resource['service.name'])),
      // A tab should not hold a batch (retrying a dead collector) for long: 2 s, then
      // dropped, and the exporter backs off (backoff-exporter.ts).
      new WithoutNoise(new BatchSpanProcessor({ exporter: new BackoffExporter(new OTLPTraceExporter({ url: tracesUrl, timeoutMillis: 2000 })), scheduledDelayMillis: 1000 })),
    ],
  });
  trace.setGlobalTracerProvider(provider);
  // document-load's children find their parent through the context; its root finds the
  // landing's span (tracing.ts) in the page's <meta name="traceparent">, read with W3C's format.
  context.setGlobalContextManager(new StackContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  // Export failures (collector down, CORS refused) are said once on the console, not per batch.
  diag.setLogger({ error: (message, ...args) => warnOnce(tracesUrl, message, args), warn: () => {}, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.ERROR);

  const tracer = provider.getTracer('cruddur-frontend', __APP_VERSION__);
  handOver((record) => {
    const parent = record.parentSpanId
      ? trace.setSpanContext(ROOT_CONTEXT, { traceId: record.traceId, spanId: record.parentSpanId, traceFlags: TraceFlags.SAMPLED })
      : ROOT_CONTEXT;
    ids.next = record;
    try {
      const span = tracer.startSpan(record.name, { kind: record.kind === 3 ? SpanKind.CLIENT : SpanKind.INTERNAL, attributes: record.attributes, startTime: record.start }, parent);
      if (record.status) span.setStatus({ code: SpanStatusCode.ERROR, ...(record.status.message ? { message: record.status.message } : {}) });
      return { setAttribute: (k, v) => span.setAttribute(k, v), updateName: (n) => span.updateName(n), setStatus: (s) => span.setStatus({ code: SpanStatusCode.ERROR, ...(s.message ? { message: s.message } : {}) }), end: (t) => span.end(t) };
    } finally {
      ids.next = undefined;
    }
  });
  registerInstrumentations({
    instrumentations: [
      new DocumentLoadInstrumentation({
        applyCustomAttributesOnSpan: {
          documentLoad: (span) => {
            const modules = performance.getEntriesByType('resource').filter((r) => DEV_MODULE.test(pathOf(r.name))).length;
            span.setAttributes({ ...firstPage, 'url.full': first.href, ...(modules ? { 'app.dev_modules_fetched': modules } : {}) });
          },
          documentFetch: (span) => span.setAttributes({ ...firstPage, 'url.full': first.href }),
          resourceFetch: (span) => span.setAttributes(firstPage),
        },
      }),
    ],
  });
  recordWebVitals(first.pathname, { lcp: !opts.lcpSent });
  return { flush: () => void provider.forceFlush().catch(() => {}) };
}

let warned = false;
function warnOnce(tracesUrl: string, message: string, args: unknown[]): void {
  if (warned) return;
  warned = true;
  console.warn(`[tracing] spans are not reaching the collector at ${tracesUrl} (${reason([message, ...args])}). Is it running (docker compose ps)? npm run doctor says which hop is broken.`);
}

/** The first error message among a diag call's arguments; the exporter passes its error as a JSON string with the stack. */
function reason(args: unknown[]): string {
  for (const a of args) {
    if (a instanceof Error) return a.message;
    if (typeof a === 'string' && a.startsWith('{')) {
      try {
        const parsed = JSON.parse(a) as { message?: unknown };
        if (typeof parsed.message === 'string') return parsed.message;
      } catch {
        // not JSON after all
      }
    } else if (typeof a === 'object' && a && 'message' in a) {
      return String(a.message);
    }
  }
  return typeof args[0] === 'string' ? args[0] : 'export failed';
}
