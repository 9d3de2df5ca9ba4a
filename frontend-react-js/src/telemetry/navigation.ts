import { telemetry } from './hooks.ts';
import { pendingInteraction } from './interactions.ts';
import { startSpan, withParent, type SpanHandle } from './spans.ts';

/**
 * One span per SPA navigation (the first page load is document-load's), from the route
 * change until two frames later, when the new page has painted. The click that caused it is
 * its parent, and the data fetches the new page starts are its children. A fetch started
 * with no navigation, just after a click, is the click's child.
 */
// Which path was open when: a web vital reported later (INP, CLS) belongs to the page it
// measured, found by the time of its interaction or shift.
const visits: { at: number; path: string }[] = [];

/** The path open at `time` (performance.now()'s clock); the first page's before any change. */
export function pathAt(time: number): string {
  let path = visits[0]?.path ?? window.location.pathname;
  for (const v of visits) if (v.at <= time) path = v.path;
  return path;
}

export function traceNavigations(landing?: SpanHandle): void {
  visits.push({ at: 0, path: window.location.pathname });
  let active: SpanHandle | undefined;
  // A click whose state change starts the fetch in an effect, a frame later ("Try again",
  // reload after a post): the click is still its cause. Before any, the landing's first data
  // belongs to the landing (tracing.ts), until it has ended.
  telemetry.withNavigation = (call) => withParent(active ?? pendingInteraction() ?? (landing?.record.end === undefined ? landing : undefined), call);
  telemetry.routeChanged = (from, to, pattern) => {
    if (from === undefined || from === to) return;
    const path = to.split('?')[0]!;
    if (path !== visits.at(-1)?.path) visits.push({ at: performance.now(), path });
    try {
      const span = startSpan(`navigate ${pattern}`, { parent: pendingInteraction(), attributes: { 'navigation.from': from, 'navigation.to': to, 'page.route': pattern } });
      active = span;
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          span.end();
          if (active === span) active = undefined;
        }),
      );
    } catch {
      // Tracing must never stop a page from rendering.
    }
  };
}
