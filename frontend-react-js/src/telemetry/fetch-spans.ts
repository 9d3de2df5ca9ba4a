import { SpanStatusCode, type Span } from '@opentelemetry/api';

// The backend's parameterised routes (backend-flask-ts/src/app.ts); every other API path is
// its own template. The browser's fetch span then reads as the backend's server span does.
const TEMPLATES: [RegExp, string][] = [
  [/^\/api\/activities\/@[^/]+$/, '/api/activities/@:handle'],
  [/^\/api\/activities\/[^/@]+\/reply$/, '/api/activities/:uuid/reply'],
  [/^\/api\/messages\/@[^/]+$/, '/api/messages/@:handle'],
];

export const urlTemplate = (path: string): string => TEMPLATES.find(([re]) => re.test(path))?.[1] ?? path;

/**
 * For the fetch instrumentation's applyCustomAttributesOnSpan: names the span
 * "GET /api/activities/@:handle" with url.template, and marks a network failure (no answer at
 * all, status 0) as an error; the instrumentation marks only answers of 400 and up.
 */
export function describeFetch(span: Span, result: Response | Error | unknown): void {
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
