import { ROOT_CONTEXT, type Span, type Tracer } from '@opentelemetry/api';
import { recentAction } from './interactions.ts';

// A page that throws in a loop must not flood the dataset: the first few per page load.
const MAX_ERRORS = 10;
// An error this soon after a click is taken to come from what the click did.
const ACTION_WINDOW_MS = 5000;

/**
 * Uncaught errors and unhandled rejections, each as a root span "js-error" with its type,
 * message, the top of its stack, and the action of a click in the 5 s before (app.action).
 * The browser's name and version are on every span already (the resource), so Honeycomb can
 * group errors by them.
 */
export function recordErrors(tracer: Tracer): void {
  let count = 0;
  const record = (error: unknown, fallback: string) => {
    if (++count > MAX_ERRORS) return;
    const e = error instanceof Error ? error : undefined;
    const action = recentAction(ACTION_WINDOW_MS);
    tracer
      .startSpan('js-error', {
        attributes: {
          'exception.type': e?.name ?? 'Error',
          'exception.message': String(e?.message ?? fallback).slice(0, 300),
          // Which function failed: the top of the stack (bundled names, but file:line:column
          // points into the build; BUILD_SOURCEMAP=true maps them back).
          ...(e?.stack ? { 'exception.stacktrace': e.stack.split('\n').slice(0, 6).join('\n') } : {}),
          ...(action ? { 'app.action': action } : {}),
        },
      }, ROOT_CONTEXT)
      .end();
  };
  window.addEventListener('error', (event) => record(event.error, event.message));
  window.addEventListener('unhandledrejection', (event) => record(event.reason, String(event.reason)));
}

/**
 * A "page view" span per route, carrying how long it was visible (page.visible_ms). It ends
 * when the route changes or the tab is hidden (a phone may never say more). Then it flushes:
 * the batch processor's own flush on hide runs first (its listener was added first), before
 * this view had ended. A tab shown again starts a new view.
 */
export function recordPageViews(tracer: Tracer, flush: () => void): (route: string) => void {
  let view: { span: Span; visibleMs: number; since: number | undefined } | undefined;
  const visible = () => document.visibilityState === 'visible';
  const start = () => {
    view = { span: tracer.startSpan('page view', {}, ROOT_CONTEXT), visibleMs: 0, since: visible() ? performance.now() : undefined };
  };
  const end = () => {
    if (!view) return;
    const ms = view.visibleMs + (view.since === undefined ? 0 : performance.now() - view.since);
    view.span.setAttribute('page.visible_ms', Math.round(ms));
    view.span.end();
    view = undefined;
  };
  document.addEventListener('visibilitychange', () => {
    if (visible()) return start();
    end();
    flush();
  });
  window.addEventListener('pagehide', () => {
    end();
    flush();
  });
  return () => {
    end();
    start();
  };
}
