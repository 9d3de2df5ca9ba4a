import { useLayoutEffect, useRef } from 'react';
import { useLocation } from 'react-router';

/**
 * The app's only link to tracing, with no OpenTelemetry code in it: no-ops until tracing.ts
 * installs the real ones. A build without tracing therefore carries no tracing at all.
 */
export const telemetry = {
  /** Runs `call` (a fetch) inside the navigation in progress, or the click just made, so it becomes its child. */
  withNavigation: <T>(call: () => T): T => call(),
  /** A route change (`from` and `to` are paths with their query), seen in a layout effect: before any page's data-fetching effect runs. */
  routeChanged: (_from: string | undefined, _to: string, _pattern: string): void => {},
  /** The route pattern of a path (/@andrewbrown -> /@:handle), for span attributes. */
  routePattern: (path: string): string => path,
};

/** Tells tracing about route changes; the app calls it once, inside the router. */
export function useRouteTelemetry(routePattern: (path: string) => string): void {
  const { pathname, search } = useLocation();
  const previous = useRef<string | undefined>(undefined);
  telemetry.routePattern = routePattern;
  // The path with its query: a new search (/search?q=…) on the same path is a navigation too.
  const address = pathname + search;
  useLayoutEffect(() => {
    telemetry.routeChanged(previous.current, address, routePattern(pathname));
    previous.current = address;
  }, [address, pathname, routePattern]);
}
