import { useLayoutEffect, useRef } from 'react';
import { useLocation } from 'react-router';

/**
 * The app's only link to tracing, with no OpenTelemetry code in it: no-ops until tracing.ts
 * installs the real ones. A build without tracing therefore carries no tracing at all.
 */
export const telemetry = {
  /** Runs `call` (a fetch) inside the navigation in progress, or the click just made, so it becomes its child. */
  withNavigation: <T>(call: () => T): T => call(),
  /** A route change, seen in a layout effect: before any page's data-fetching effect runs. */
  routeChanged: (_from: string | undefined, _to: string, _pattern: string): void => {},
  /** The route pattern of a path (/@andrewbrown -> /@:handle), for span attributes. */
  routePattern: (path: string): string => path,
};

/** Tells tracing about route changes; the app calls it once, inside the router. */
export function useRouteTelemetry(routePattern: (path: string) => string): void {
  const { pathname } = useLocation();
  const previous = useRef<string | undefined>(undefined);
  telemetry.routePattern = routePattern;
  useLayoutEffect(() => {
    telemetry.routeChanged(previous.current, pathname, routePattern(pathname));
    previous.current = pathname;
  }, [pathname, routePattern]);
}
