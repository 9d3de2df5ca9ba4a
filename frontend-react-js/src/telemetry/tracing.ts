import { context, diag, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, StackContextManager, TracerProvider } from '@opentelemetry/sdk-trace';
import { backendUrl, collectorUrl } from '../config.ts';
import { browserInfo, sessionId } from './browser.ts';
import { describeFetch, endAnsweredFetches } from './fetch-spans.ts';
import { instrumentClicks } from './interactions.ts';
import { recordErrors, recordPageViews } from './journey.ts';
import { telemetry } from './hooks.ts';
import { LazyExporter } from './lazy-exporter.ts';
import { traceNavigations } from './navigation.ts';
import { PageAttributes } from './page.ts';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Browser tracing: spans go as OTLP/HTTP JSON to the collector, which holds the Honeycomb
 * key; nothing secret is in this bundle. Trace ids are X-Ray compatible, and trace headers
 * go to the backend's origin only. What the first fetch needs starts now; the rest after the
 * load event, off the page's critical path. Any failure leaves the app running untraced.
 */
export function startTracing(): void {
  try {
    const collector = collectorUrl();
    const backend = new URL(backendUrl()).origin;
    const browser = browserInfo();
    const session = sessionId();
    const exporter = new LazyExporter(async () => {
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
      return new OTLPTraceExporter({ url: `${collector}/v1/traces`, timeoutMillis: 2000 });
    });
    const provider = new TracerProvider({
      resource: resourceFromAttributes({
        'service.name': import.meta.env.VITE_OTEL_SERVICE_NAME || 'frontend-react-js',
        'service.version': __APP_VERSION__,
        'browser.name': browser.name,
        'browser.version': browser.version,
        'browser.language': navigator.language,
        'screen.width': window.screen.width,
        'screen.height': window.screen.height,
        // The build's flags: dev server or production build, one origin or split mode.
        'deployment.environment.name': import.meta.env.MODE,
        'app.origin_mode': import.meta.env.VITE_BACKEND_URL ? 'split' : 'one-origin',
      }),
      idGenerator: new AWSXRayIdGenerator(),
      spanProcessors: [
        new PageAttributes(session),
        // A tab should not hold a batch (retrying a dead collector) for long: 2 s, then
        // dropped, and the exporter backs off (lazy-exporter.ts).
        new BatchSpanProcessor({ exporter, scheduledDelayMillis: 1000 }),
      ],
    });
    trace.setGlobalTracerProvider(provider);
    context.setGlobalContextManager(new StackContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    // Export failures (collector down, CORS refused) are said once on the console, not per batch.
    diag.setLogger({ error: (message, ...args) => warnOnce(message, args), warn: () => {}, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.ERROR);

    registerInstrumentations({
      instrumentations: [
        new FetchInstrumentation({
          propagateTraceHeaderCorsUrls: [new RegExp(`^${escape(backend)}/`)],
          ignoreUrls: [new RegExp(`^${escape(collector)}/v1/traces`)],
          applyCustomAttributesOnSpan: (span, _request, result) => describeFetch(span, result),
        }),
      ],
    });
    const tracer = trace.getTracer('cruddur-frontend', __APP_VERSION__);
    instrumentClicks(tracer);
    traceNavigations(tracer);
    recordErrors(tracer);
    const pageView = recordPageViews(tracer, () => {
      endAnsweredFetches();
      void provider.forceFlush().catch(() => {});
    });
    const navigated = telemetry.routeChanged;
    telemetry.routeChanged = (from, to, pattern) => {
      if (from !== to) pageView(pattern);
      navigated(from, to, pattern);
    };
    const firstPath = window.location.pathname;
    const later = () =>
      setTimeout(() => {
        exporter.preload();
        void import('./after-load.ts').then((m) => m.startAfterLoad(tracer, firstPath)).catch(() => {});
      }, 0);
    if (document.readyState === 'complete') later();
    else window.addEventListener('load', later, { once: true });
  } catch (err) {
    console.warn('[tracing] off: it could not start, the app works without it.', err);
  }
}

let warned = false;
function warnOnce(message: string, args: unknown[]): void {
  if (warned) return;
  warned = true;
  console.warn(`[tracing] spans are not reaching the collector at ${collectorUrl()}/v1/traces (${reason([message, ...args])}). Is it running (docker compose ps)? npm run doctor says which hop is broken.`);
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
