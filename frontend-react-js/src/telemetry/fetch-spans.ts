import { currentParent, startSpan, traceparent } from './spans.ts';
import { runBaggage } from './run-tags.ts';

// The backend's parameterised routes (backend-flask-ts/src/app.ts); every other API path is
// its own template. The browser's fetch span then reads as the backend's server span does.
const TEMPLATES: [RegExp, string][] = [
  [/^\/api\/activities\/@[^/]+$/, '/api/activities/@:handle'],
  [/^\/api\/activities\/[^/@]+\/reply$/, '/api/activities/:uuid/reply'],
  [/^\/api\/messages\/@[^/]+$/, '/api/messages/@:handle'],
];

export const urlTemplate = (path: string): string => TEMPLATES.find(([re]) => re.test(path))?.[1] ?? path;

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

let made = 0;
let inFlight = 0;
const whenDone: (() => void)[] = [];

/**
 * Runs `then` once the page has made a traced fetch and none is in flight: now, or when the
 * last one answers. (At the load event the first page may not have asked for its data yet.)
 */
export function whenFetchesSettle(then: () => void): void {
  if (made > 0 && inFlight === 0) then();
  else whenDone.push(then);
}

/**
 * Every fetch the page makes is a client span ("GET /api/activities/@:handle", with the
 * attributes OpenTelemetry's fetch instrumentation sets: http.request.method, url.full,
 * http.response.status_code, server.address, server.port, error.type), a child of the click or
 * navigation that caused it, and carries its traceparent to the page's own origin and the
 * backend's: the backend's request span is its child. Written here, not the contrib
 * FetchInstrumentation, because this runs before the first render, when the SDK that
 * instrumentation needs is not loaded yet (it is deprecated at 0.300 besides). Spans for the
 * collector's own endpoint are never made.
 */
export function traceFetches(backendOrigin: string, collectorTraces: string): void {
  const original = window.fetch;
  window.fetch = function tracedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    let url: URL;
    try {
      url = new URL(input instanceof Request ? input.url : String(input), window.location.href);
    } catch {
      return original.call(window, input, init);
    }
    if (url.href.startsWith(collectorTraces)) return original.call(window, input, init);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const template = url.pathname.startsWith('/api/') ? urlTemplate(url.pathname) : undefined;
    const span = startSpan(template ? `${method} ${template}` : method, {
      parent: currentParent(),
      kind: 3,
      attributes: { 'http.request.method': method, 'url.full': url.href, ...(template ? { 'url.template': template } : {}) },
    });
    if (url.origin === window.location.origin || url.origin === backendOrigin) {
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      headers.set('traceparent', traceparent(span.record));
      const baggage = runBaggage();
      if (baggage) headers.set('baggage', baggage);
      init = { ...init, headers };
    }
    const port = Number(url.port) || DEFAULT_PORTS[url.protocol];
    made++;
    inFlight++;
    const settled = () => {
      if (--inFlight === 0) for (const then of whenDone.splice(0)) then();
    };
    return original.call(window, input, init).then(
      (response) => {
        span.setAttributes({ 'http.response.status_code': response.status, 'server.address': url.hostname, ...(port ? { 'server.port': port } : {}) });
        if (response.status >= 400) span.setError().setAttribute('error.type', String(response.status));
        span.end();
        settled();
        return response;
      },
      (error: unknown) => {
        // No answer at all (the network, or a CORS refusal): status 0, and why.
        const e = error instanceof Error ? error : new Error(String(error));
        span.setAttributes({ 'http.response.status_code': 0, 'error.type': e.name }).setError(e.message).end();
        settled();
        throw error;
      },
    );
  };
}
