import { startSpan, withParent, type SpanHandle } from './spans.ts';

// Only clicks on things a person means to click become spans, not every stray click.
const INTERACTIVE = 'a, button, [role="button"], input[type="submit"], input[type="button"], summary, label';

function describe(el: Element): Record<string, string> {
  const text = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
  // What the control does: named by the app where its text varies (data-action="reply" on
  // every card's "Reply (3 replies)"), else its text. The board counts clicks by it.
  const action = (el instanceof HTMLElement && el.dataset.action) || text;
  return {
    'event_type': 'click',
    'target_element': el.tagName,
    ...(el.id ? { 'target.id': el.id } : {}),
    ...(action ? { 'app.action': action } : {}),
    ...(text ? { 'target.text': text } : {}),
    ...(el instanceof HTMLAnchorElement ? { 'target.href': el.getAttribute('href') ?? '' } : {}),
  };
}

/** A form submitted without a click (Enter in a field): named by the app, its label or its role. */
function describeForm(form: HTMLFormElement): Record<string, string> {
  const action = form.dataset.action || form.getAttribute('aria-label') || form.getAttribute('role') || form.name || 'submit';
  return { 'event_type': 'submit', 'target_element': 'FORM', ...(form.id ? { 'target.id': form.id } : {}), 'app.action': action };
}

let pending: SpanHandle | undefined;
let last: { span: SpanHandle; at: number; action?: string } | undefined;

// React Router renders a navigation in a transition, a frame or so after the click's task:
// a click this recent is still what caused it.
const CAUSE_WINDOW_MS = 500;

/** The last click, if it was recent (`withinMs`): what the person was doing, and its span. */
export const recentClick = (withinMs: number): { span: SpanHandle; action?: string } | undefined =>
  last && performance.now() - last.at < withinMs ? last : undefined;

/** The click that caused what is starting now: one whose handlers run, or one just before. */
export const pendingInteraction = (): SpanHandle | undefined =>
  pending ?? (last && performance.now() - last.at < CAUSE_WINDOW_MS ? last.span : undefined);

/**
 * A span per click on an interactive element, the parent of what the page's click handlers
 * start, so a fetch a handler starts is the click's child: click -> fetch -> backend, one
 * trace. A form submit a click causes runs in the same span; one with no click (Enter in the
 * search box) is a "submit" span of its own: submit -> navigate -> fetch -> backend. It wraps click and submit
 * listeners as they are added, so it must run before React adds its root listeners (at
 * createRoot). Written here because the contrib user-interaction instrumentation still needs
 * zone.js and the 2.x SDK.
 */
export function instrumentClicks(): () => void {
  const proto = EventTarget.prototype;
  const add = proto.addEventListener;
  const remove = proto.removeEventListener;
  const wrapped = new WeakMap<EventListenerOrEventListenerObject, EventListener>();
  const spans = new WeakMap<Event, SpanHandle | null>();

  const spanFor = (event: Event): SpanHandle | null => {
    if (spans.has(event)) return spans.get(event)!;
    const target = event.target instanceof Element ? event.target.closest(INTERACTIVE) : null;
    const begin = (name: string, attributes: Record<string, string>) => {
      const started = startSpan(name, { attributes });
      pending = started;
      last = { span: started, at: performance.now(), action: attributes['app.action'] };
      // Ends once this task's handlers have all run; fetches they started may outlive it.
      setTimeout(() => {
        started.end();
        if (pending === started) pending = undefined;
      }, 0);
      return started;
    };
    let span: SpanHandle | null = null;
    if (event.type === 'submit') {
      // A submit a click caused runs in the click's span; one by Enter in a field (a search)
      // is the interaction itself.
      span = pending ?? (event.target instanceof HTMLFormElement ? begin('submit', describeForm(event.target)) : null);
    } else if (target) {
      span = begin('click', describe(target));
    }
    spans.set(event, span);
    return span;
  };

  proto.addEventListener = function (this: EventTarget, type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions) {
    if ((type !== 'click' && type !== 'submit') || !listener) return add.call(this, type, listener, options);
    let inSpan = wrapped.get(listener);
    if (!inSpan) {
      inSpan = function (this: unknown, event: Event) {
        const call = () => (typeof listener === 'function' ? listener.call(this, event) : listener.handleEvent(event));
        let span: SpanHandle | null = null;
        try {
          span = spanFor(event);
        } catch {
          // Tracing must never stop a click from working.
        }
        return withParent(span ?? undefined, call);
      };
      wrapped.set(listener, inSpan);
    }
    return add.call(this, type, inSpan, options);
  };
  proto.removeEventListener = function (this: EventTarget, type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions) {
    const inSpan = (type === 'click' || type === 'submit') && listener ? wrapped.get(listener) : undefined;
    return remove.call(this, type, inSpan ?? listener, options);
  };
  return () => {
    proto.addEventListener = add;
    proto.removeEventListener = remove;
  };
}
