import { SpanStatusCode, type Span } from '@opentelemetry/api';

// The backend's parameterised routes (backend-flask-ts/src/app.ts); every other API path is
// its own template. The browser's fetch span then reads as the backend's server span does.
const TEMPLATES: [RegExp, string][] = [
  [/^\/api\/activities\/@[^/]+$/, '/api/activities/@:handle'],
  [/^\/api\/activities\/[^/@]+\/reply$/, '/api/activities/:uuid/reply'],
  [/^\/api\/messages\/@[^/]+$/, '/api/messages/@:handle'],
];

export const urlTemplate = (path: string): string => TEMPLATES.find(([re]) => re.test(path))?.[1] ?? path;

// Fetch spans answered but not yet ended, with the time the answer arrived.
const answered = new Map<Span, number>();

/**
 * Ends the fetch spans whose answer has arrived but which the instrumentation still holds (it
 * waits 300 ms for the resource timing entry), at the time of the answer. Called as the page is
 * hidden, before the flush: a page left within 300 ms of its data lost its fetch span, and the
 * backend's span was orphaned. The instrumentation's own end() later is then a no-op.
 */
export function endAnsweredFetches(): void {
  for (const [span, at] of answered) span.end(at);
  answered.clear();
}

/**
 * For the fetch instrumentation's applyCustomAttributesOnSpan: names the span
 * "GET /api/activities/@:handle" with url.template, and marks a network failure (no answer at
 * all, status 0) as an error; the instrumentation marks only answers of 400 and up.
 */
export function describeFetch(span: Span, result: Response | Error | unknown): void {
  // Runs as the answer arrives; the instrumentation then holds the span 300 ms for resource timing.
  answered.set(span, Date.now());
  setTimeout(() => answered.delete(span), 1000);
  const attributes = (span as unknown as { attributes?: Record<string, unknown> }).attributes ?? {};
  const url = URL.canParse(String(attributes['url.full'])) ? new URL(String(attributes['url.full'])) : undefined;
  if (url?.pathname.startsWith('/api/')) {
    const template = urlTemplate(url.pathname);
    span.setAttribute('url.template', template);
    span.updateName(`${String(attributes['http.request.method'] ?? 'GET')} ${template}`);
  }
  if (!(result instanceof Response)) {
    const name = result instanceof Error ? result.name : 'Error';
    span.setStatus({ code: SpanStatusCode.ERROR, message: result instanceof Error ? result.message : String(result) });
    span.setAttribute('error.type', name);
  }
}
