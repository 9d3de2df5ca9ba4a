import { context, trace, type Context, type Span } from '@opentelemetry/api';
import { useLayoutEffect, useRef } from 'react';
import { useLocation } from 'react-router';
import { pendingInteraction } from './interactions.ts';
import { setRoutePattern } from './page.ts';

let active: { span: Span; ctx: Context } | undefined;

/** The navigation in progress, so the data fetches it causes become its children. */
export const navigationContext = (): Context | undefined => active?.ctx;

/**
 * One span per SPA navigation (the first page load is document-load's), from the route
 * change until two frames later, when the new page has painted. A click that caused it is
 * its parent. A layout effect, because those all run before any page's data-fetching effect:
 * the fetches then find the navigation in progress and become its children.
 */
export function useNavigationSpans(routePattern: (path: string) => string): void {
  const location = useLocation();
  const previous = useRef<string | undefined>(undefined);
  setRoutePattern(routePattern);
  useLayoutEffect(() => {
    const pattern = routePattern(location.pathname);
    const from = previous.current;
    previous.current = location.pathname;
    if (from === undefined || from === location.pathname) return;
    try {
      const click = pendingInteraction();
      const parent = click ? trace.setSpan(context.active(), click) : context.active();
      const span = trace.getTracer('cruddur-frontend').startSpan(
        `navigate ${pattern}`,
        { attributes: { 'navigation.from': from, 'navigation.to': location.pathname, 'page.route': pattern } },
        parent,
      );
      active = { span, ctx: trace.setSpan(context.active(), span) };
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          span.end();
          if (active?.span === span) active = undefined;
        }),
      );
    } catch {
      // Tracing must never stop a page from rendering.
    }
  }, [location.pathname, routePattern]);
}
