import { recentClick } from './interactions.ts';
import { startSpan, type SpanHandle } from './spans.ts';

// A page that throws in a loop must not flood the dataset: the first few per page load.
const MAX_ERRORS = 10;
// An error this soon after a click is taken to come from what the click did.
const ACTION_WINDOW_MS = 5000;

/**
 * Uncaught errors and unhandled rejections, each a span "js-error" with its type, message, the
 * top of its stack, and status ERROR (what Honeycomb's `error` field and error filters read).
 * An error in the 5 s after a click is that click's child, in its trace, with its action
 * (app.action); otherwise a root of its own. The browser's name and version are on every span
 * already (the resource), so Honeycomb can group errors by them.
 */
export function recordErrors(): void {
  let count = 0;
  const record = (error: unknown, fallback: string) => {
    if (++count > MAX_ERRORS) return;
    const e = error instanceof Error ? error : undefined;
    const click = recentClick(ACTION_WINDOW_MS);
    const action = click?.action;
    const message = String(e?.message ?? fallback).slice(0, 300);
    startSpan('js-error', {
      ...(click ? { parent: click.span } : {}),
      attributes: {
        'exception.type': e?.name ?? 'Error',
        'exception.message': message,
        // Which function failed: the top of the stack (bundled names, but file:line:column
        // points into the build; BUILD_SOURCEMAP=true maps them back).
        ...(e?.stack ? { 'exception.stacktrace': e.stack.split('\n').slice(0, 6).join('\n') } : {}),
        ...(action ? { 'app.action': action } : {}),
      },
    })
      .setError(message)
      .end();
  };
  window.addEventListener('error', (event) => record(event.error, event.message));
  window.addEventListener('unhandledrejection', (event) => record(event.reason, String(event.reason)));
}

/**
 * A "page view" span per route, carrying how long it was visible (page.visible_ms). It ends
 * when the route changes or the tab is hidden (a phone may never say more). Then it flushes;
 * these listeners are added before the SDK's batch processor adds its own, so the view has
 * ended before that processor's flush on hide runs. A tab shown again starts a new view.
 */
export function recordPageViews(flush: () => void, landing: () => SpanHandle | undefined = () => undefined): (route: string) => void {
  let view: { span: SpanHandle; visibleMs: number; since: number | undefined } | undefined;
  const visible = () => document.visibilityState === 'visible';
  const start = () => {
    // The first page's view is part of the landing's trace, while the landing lasts.
    const parent = landing();
    view = { span: startSpan('page view', parent ? { parent } : {}), visibleMs: 0, since: visible() ? performance.now() : undefined };
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
