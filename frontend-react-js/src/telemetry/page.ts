import { currentUser } from '../session.ts';
import { sessionId } from './browser.ts';
import { telemetry } from './hooks.ts';

let session: string | undefined;

/**
 * The page and route a span starts on, the tab's session, the signed-in user (none when
 * signed out) and the window as it is then: read when the span starts, not from React state (a
 * page's effects run before its parent's), and not when the SDK later makes the span real.
 * The viewport's size and the pixel ratio change with a resize, a rotation or a zoom, so they
 * are the span's, not the resource's (browser.width and browser.height as Honeycomb's own web
 * SDK names them, its semantic-attributes.ts).
 */
export function pageAttributes(): Record<string, string | number> {
  session ??= sessionId();
  const user = currentUser();
  const path = window.location.pathname;
  return {
    'page.path': path,
    'page.route': telemetry.routePattern(path),
    'session.id': session,
    'browser.width': window.innerWidth,
    'browser.height': window.innerHeight,
    'screen.device_pixel_ratio': window.devicePixelRatio,
    ...(user && { 'app.user_handle': user.handle }),
  };
}
