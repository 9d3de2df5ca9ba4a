import { context, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { telemetry } from './hooks.ts';
import { pendingInteraction } from './interactions.ts';

/**
 * One span per SPA navigation (the first page load is document-load's), from the route
 * change until two frames later, when the new page has painted. The click that caused it is
 * its parent, and the data fetches the new page starts are its children. A fetch started
 * with no navigation, just after a click, is the click's child.
 */
export function traceNavigations(tracer: Tracer): void {
  let active: { span: Span; ctx: Context } | undefined;
  telemetry.withNavigation = (call) => {
    if (active) return context.with(active.ctx, call);
    // A click whose state change starts the fetch in an effect, a frame later ("Try again",
    // reload after a post): the click is still its cause.
    const click = pendingInteraction();
    return click ? context.with(trace.setSpan(context.active(), click), call) : call();
  };
  telemetry.routeChanged = (from, to, pattern) => {
    if (from === undefined || from === to) return;
    try {
      const click = pendingInteraction();
      const parent = click ? trace.setSpan(context.active(), click) : context.active();
      const span = tracer.startSpan(`navigate ${pattern}`, { attributes: { 'navigation.from': from, 'navigation.to': to, 'page.route': pattern } }, parent);
      active = { span, ctx: trace.setSpan(parent, span) };
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          span.end();
          if (active?.span === span) active = undefined;
        }),
      );
    } catch {
      // Tracing must never stop a page from rendering.
    }
  };
}
