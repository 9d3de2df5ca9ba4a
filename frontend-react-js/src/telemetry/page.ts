import { currentUser } from '../session.ts';
import { sessionId } from './browser.ts';
import { telemetry } from './hooks.ts';

let session: string | undefined;

/**
 * The page and route a span starts on, the tab's session and the signed-in user (none when
 * signed out): read when the span starts, not from React state (a page's effects run before
 * its parent's), and not when the SDK later makes the span real.
 */
export function pageAttributes(): Record<string, string> {
  session ??= sessionId();
  const user = currentUser();
  const path = window.location.pathname;
  return { 'page.path': path, 'page.route': telemetry.routePattern(path), 'session.id': session, ...(user && { 'app.user_handle': user.handle }) };
}
