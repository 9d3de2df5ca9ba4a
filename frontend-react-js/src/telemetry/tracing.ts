import { backendUrl, collectorUrl } from '../config.ts';
import { sendBeforeSdk } from './beacon.ts';
import { traceFetches, whenFetchesSettle } from './fetch-spans.ts';
import { telemetry } from './hooks.ts';
import { instrumentClicks } from './interactions.ts';
import { recordErrors, recordPageViews } from './journey.ts';
import { traceNavigations } from './navigation.ts';

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
    traceFetches(new URL(backendUrl()).origin, tracesUrl);
    instrumentClicks();
    traceNavigations();
    recordErrors();
    let sdk: { flush: () => void } | undefined;
    const pageView = recordPageViews(() => (sdk ? sdk.flush() : sendBeforeSdk(tracesUrl)));
    const navigated = telemetry.routeChanged;
    telemetry.routeChanged = (from, to, pattern) => {
      // A page view per page: a new query on the same path (another search) is not a new one.
      if (from?.split('?')[0] !== to.split('?')[0]) pageView(pattern);
      navigated(from, to, pattern);
    };
    const firstUrl = window.location.href;
    let requested = false;
    const importSdk = () => {
      if (requested) return;
      requested = true;
      import('./sdk.ts')
        .then((m) => (sdk = m.startSdk(tracesUrl, firstUrl)))
        .catch((err: unknown) => console.warn('[tracing] the SDK did not load: spans are sent only as the page is left.', err));
    };
    const loadSdk = () => {
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
