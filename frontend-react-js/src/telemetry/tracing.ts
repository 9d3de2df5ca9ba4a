import { backendUrl, collectorUrl } from '../config.ts';
import { sendBeforeSdk } from './beacon.ts';
import { traceFetches, whenFetchesSettle } from './fetch-spans.ts';
import { telemetry } from './hooks.ts';
import { instrumentClicks } from './interactions.ts';
import { recordErrors, recordPageViews } from './journey.ts';
import { traceNavigations } from './navigation.ts';
import { recordVital, startSpan, traceparent, type SpanHandle } from './spans.ts';

/**
 * Browser tracing: spans go as OTLP/HTTP JSON to the collector, which holds the Honeycomb
 * key; nothing secret is in this bundle. Trace ids are X-Ray compatible, and trace headers
 * go to the page's and the backend's origin only.
 *
 * What runs before the first render is only what cannot wait: the fetch wrapper (the first
 * requests carry their traceparent and are timed), the click and submit wrapper (React adds
 * its listeners at createRoot), route changes, errors and page views. They record spans with
 * their ids and times (spans.ts). The OpenTelemetry SDK (exporter, batching, document-load,
 * web vitals: most of the bytes) loads after the load event, once the first page's fetches
 * have answered, and turns those records into spans. A page left before that sends its
 * records itself (beacon.ts). Any failure leaves the app running untraced.
 */
export function startTracing(): void {
  try {
    const tracesUrl = `${collectorUrl()}/v1/traces`;
    const landing = startLanding();
    traceFetches(new URL(backendUrl()).origin, tracesUrl);
    instrumentClicks();
    traceNavigations(landing);
    recordErrors();
    const earlyLcp = watchLcp();
    let sdk: { flush: () => void } | undefined;
    const pageView = recordPageViews(
      () => (sdk ? sdk.flush() : (endLanding(landing), earlyLcp(), sendBeforeSdk(tracesUrl))),
      () => (landing.record.end === undefined ? landing : undefined),
    );
    const navigated = telemetry.routeChanged;
    telemetry.routeChanged = (from, to, pattern) => {
      // The landing is named for its route once the router knows it, and ends if the person moves on first.
      if (from === undefined) landing.updateName(`load ${pattern}`).setAttribute('page.route', pattern);
      else endLanding(landing);
      // A page view per page: a new query on the same path (another search) is not a new one.
      if (from?.split('?')[0] !== to.split('?')[0]) pageView(pattern);
      navigated(from, to, pattern);
    };
    // The first page's data on screen: its fetches answered, and a frame painted.
    whenFetchesSettle(() => requestAnimationFrame(() => endLanding(landing)));
    const firstUrl = window.location.href;
    let requested = false;
    const importSdk = () => {
      if (requested) return;
      requested = true;
      import('./sdk.ts')
        .then((m) => {
          sdk = m.startSdk(tracesUrl, firstUrl, { lcpSent: earlyLcp.sent() });
          earlyLcp.cancel();
        })
        .catch((err: unknown) => console.warn('[tracing] the SDK did not load: spans are sent only as the page is left.', err));
    };
    const loadSdk = () => {
      // A page that fetches nothing: its landing ends with the load event.
      setTimeout(() => endLanding(landing), 3000);
      // A frame after the first page's fetches have answered: its data is on screen before the
      // SDK is parsed. A page that keeps fetching, or fetches nothing, gets it after 3 s.
      whenFetchesSettle(() => requestAnimationFrame(() => setTimeout(importSdk, 0)));
      setTimeout(importSdk, 3000);
    };
    if (document.readyState === 'complete') loadSdk();
    else window.addEventListener('load', loadSdk, { once: true });
  } catch (err) {
    console.warn('[tracing] off: it could not start, the app works without it.', err);
  }
}

/**
 * The landing as one trace: a root span "load <route>" from the navigation's start until the
 * first page's data is on screen, parent of the first page's fetches (navigation.ts) and page
 * view (journey.ts), and of document-load's spans, which the SDK makes later: the
 * instrumentation takes its parent from a <meta name="traceparent"> (its _collectPerformance).
 * Before, a landing was three traces or more, joined only by session.id.
 */
function startLanding(): SpanHandle {
  const landing = startSpan('load', { start: performance.timeOrigin });
  const meta = document.createElement('meta');
  meta.name = 'traceparent';
  meta.content = traceparent(landing.record);
  document.head.append(meta);
  return landing;
}

/** Ends the landing with what Navigation Timing measured of the document (a tab closed before the SDK still says it). */
function endLanding(landing: SpanHandle): void {
  if (landing.record.end !== undefined) return;
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  if (nav) {
    landing.setAttributes({
      'document.response_start_ms': Math.round(nav.responseStart),
      ...(nav.domContentLoadedEventEnd > 0 ? { 'document.dom_content_loaded_ms': Math.round(nav.domContentLoadedEventEnd) } : {}),
      ...(nav.loadEventEnd > 0 ? { 'document.load_ms': Math.round(nav.loadEventEnd) } : {}),
      'navigation.type': nav.type,
    });
  }
  landing.end();
}

/**
 * The first page's LCP, watched before the SDK (and its web-vitals) arrive: a tab closed
 * first records it as the SDK would have ("web-vital LCP" on the first page). Once the SDK is
 * there, web-vitals reports it instead (cancel()).
 */
function watchLcp(): (() => void) & { cancel(): void; sent(): boolean } {
  const firstPath = window.location.pathname;
  let lcp: { at: number; target?: string } | undefined;
  let sent = false;
  let observer: PerformanceObserver | undefined;
  try {
    observer = new PerformanceObserver((list) => {
      const last = list.getEntries().at(-1) as (PerformanceEntry & { element?: Element | null }) | undefined;
      if (last) lcp = { at: last.startTime, ...(last.element?.tagName ? { target: last.element.tagName.toLowerCase() } : {}) };
    });
    observer.observe({ type: 'largest-contentful-paint', buffered: true });
  } catch {
    // no LCP in this browser (Safari before 26, Firefox before 122)
  }
  const record = Object.assign(
    () => {
      if (!lcp) return;
      const value = Math.round(lcp.at);
      recordVital('LCP', firstPath, {
        'web_vital.value': value,
        // web-vitals' thresholds (https://web.dev/articles/lcp): good to 2.5 s, poor past 4 s.
        'web_vital.rating': value <= 2500 ? 'good' : value <= 4000 ? 'needs-improvement' : 'poor',
        ...(lcp.target ? { 'web_vital.target': lcp.target } : {}),
      });
      lcp = undefined;
      sent = true;
      observer?.disconnect();
    },
    { cancel: () => (observer?.disconnect(), (lcp = undefined)), sent: () => sent },
  );
  return record;
}
