import { pageAttributes } from './page.ts';
import { telemetry } from './hooks.ts';
import { spanId, traceId } from './ids.ts';

// The spans of the app, before and after the OpenTelemetry SDK loads. The SDK is not on the
// page's critical path (tracing.ts loads it once the first page has its data): until then a
// span is a record here, with its ids and times, and a fetch already carries its traceparent.
// When the SDK arrives it makes each record a real span with the same ids and times, and from
// then on every span is made by the SDK at once.

export type Attribute = string | number | boolean;
export type Attributes = Record<string, Attribute>;

export interface SpanRecord {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  /** OTLP's SpanKind: 1 internal, 3 client. */
  kind: 1 | 3;
  /** Epoch milliseconds, sub-millisecond precise (performance.timeOrigin + performance.now()). */
  start: number;
  end?: number;
  attributes: Attributes;
  /** OTLP's status code: 2 is an error. */
  status?: { code: 2; message?: string };
}

/** The W3C traceparent naming a record as the parent (sampled): for a request header, or a page's meta tag. */
export const traceparent = (r: SpanRecord): string => `00-${r.traceId}-${r.spanId}-01`;

/** What the SDK gives: a real span for a record (same ids, times, parent), to forward to. */
export interface RealSpan {
  setAttribute(key: string, value: Attribute): unknown;
  updateName(name: string): unknown;
  setStatus(status: { code: 2; message?: string }): unknown;
  end(time?: number): void;
}
export type Materialize = (record: SpanRecord) => RealSpan;

/** The current time as epoch milliseconds, as precise as the page's clock allows. */
export const now = (): number => performance.timeOrigin + performance.now();

let materialize: Materialize | undefined;
const MAX_WAITING = 1000;
/** Records not yet handed to the SDK (or sent by the beacon, tracing.ts). */
export const waiting: SpanRecord[] = [];

export class SpanHandle {
  readonly record: SpanRecord;
  #real: RealSpan | undefined;
  constructor(record: SpanRecord) {
    this.record = record;
    if (materialize) this.#real = materialize(record);
    // An SDK that never comes (its chunk failed to load) must not grow this without end.
    else if (waiting.push(record) > MAX_WAITING) waiting.shift();
  }
  /** Called when the SDK arrives, for the records made before it. */
  attach(real: RealSpan): void {
    this.#real = real;
  }
  setAttribute(key: string, value: Attribute): this {
    this.record.attributes[key] = value;
    this.#real?.setAttribute(key, value);
    return this;
  }
  setAttributes(attributes: Attributes): this {
    for (const [k, v] of Object.entries(attributes)) this.setAttribute(k, v);
    return this;
  }
  updateName(name: string): this {
    this.record.name = name;
    this.#real?.updateName(name);
    return this;
  }
  setError(message?: string): this {
    this.record.status = { code: 2, ...(message ? { message } : {}) };
    this.#real?.setStatus(this.record.status);
    return this;
  }
  end(at = now()): void {
    if (this.record.end !== undefined) return;
    this.record.end = at;
    this.#real?.end(at);
  }
}

const handles = new WeakMap<SpanRecord, SpanHandle>();

/**
 * Starts a span: a child of `parent` (in its trace), or the root of a new trace with none.
 * The page it starts on, the tab's session and the signed-in user are stamped now, not when
 * the SDK later makes it real.
 */
export function startSpan(name: string, options: { parent?: SpanHandle; attributes?: Attributes; kind?: 1 | 3; start?: number } = {}): SpanHandle {
  const start = options.start ?? now();
  const record: SpanRecord = {
    name,
    traceId: options.parent?.record.traceId ?? traceId(start),
    spanId: spanId(),
    ...(options.parent ? { parentSpanId: options.parent.record.spanId } : {}),
    kind: options.kind ?? 1,
    start,
    attributes: { ...pageAttributes(), ...options.attributes },
  };
  const handle = new SpanHandle(record);
  handles.set(record, handle);
  return handle;
}

/** The SDK has loaded: the records made so far become real spans, and every later one at once. */
export function handOver(make: Materialize): void {
  materialize = make;
  for (const record of waiting.splice(0)) {
    const real = make(record);
    handles.get(record)?.attach(real);
    if (record.end !== undefined) real.end(record.end);
  }
}

export const handedOver = (): boolean => materialize !== undefined;

let current: SpanHandle | undefined;

/** Runs `call` with `span` as the parent of what it starts synchronously (a fetch, say). */
export function withParent<T>(span: SpanHandle | undefined, call: () => T): T {
  if (!span) return call();
  const before = current;
  current = span;
  try {
    return call();
  } finally {
    current = before;
  }
}

/**
 * A Core Web Vital as a span ("web-vital LCP"), named for the page it measured (not the page
 * open when it is reported): web-vitals' reports (vitals.ts) and the page's own LCP when it
 * closes before the SDK (tracing.ts) make the same span.
 */
export function recordVital(name: string, path: string, attributes: Attributes): void {
  startSpan(`web-vital ${name}`, { attributes: { 'web_vital.name': name, ...attributes, 'page.path': path, 'page.route': telemetry.routePattern(path) } }).end();
}

/** The span whose work is running now, if any. */
export const currentParent = (): SpanHandle | undefined => current;
