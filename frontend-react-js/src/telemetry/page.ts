import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { currentUser } from '../session.ts';
import { telemetry } from './hooks.ts';

/** Stamps every span with the page and route it started on, the tab's session and the signed-in user (none when signed out). */
export class PageAttributes implements SpanProcessor {
  readonly #session: string;
  constructor(session: string) {
    this.#session = session;
  }
  onStart(span: Span, _parent: Context): void {
    // Read at span start, not from React state: a page's effects run before its parent's.
    const user = currentUser();
    span.setAttributes({ 'page.path': window.location.pathname, 'page.route': telemetry.routePattern(window.location.pathname), 'session.id': this.#session, ...(user && { 'app.user_handle': user.handle }) });
  }
  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
