// A few hours of the week's traffic as OTLP/JSON requests, the shapes the backend, the browser and
// the collector's host_metrics send (the attribute names the board's queries read, which the
// backend's and the browser's tests check against their real spans): API requests over routes
// with their latency and some server errors, page loads with LCP, JavaScript errors by browser,
// clicks, page views, and memory and event-loop metrics. Deterministic: the same seed, the same
// traffic, so two engines can be asked about the same events.
import { randomBytes } from 'node:crypto';

type Value = string | number | boolean;
const attr = (key: string, value: Value) => ({
  key,
  value: typeof value === 'string' ? { stringValue: value } : typeof value === 'boolean' ? { boolValue: value } : Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value },
});
const attrs = (o: Record<string, Value>) => Object.entries(o).map(([k, v]) => attr(k, v));
const nanos = (ms: number) => String(BigInt(Math.round(ms * 1000)) * 1000n);

/** A small seeded generator (mulberry32): the traffic is the same at every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Traffic {
  traces: object[];
  metrics: object[];
  /** How many of each the requests hold. */
  counts: { spans: number; points: number };
}

/** `hours` of traffic ending `endMs`, one burst every `everyMinutes`. */
export function weekTraffic(opts: { endMs: number; hours?: number; everyMinutes?: number; seed?: number; backend?: string; frontend?: string }): Traffic {
  const rnd = random(opts.seed ?? 42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const hours = opts.hours ?? 6;
  const every = (opts.everyMinutes ?? 10) * 60_000;
  const backend = opts.backend ?? 'backend-flask';
  const frontend = opts.frontend ?? 'frontend-react-js';
  const routes = ['/api/activities/home', '/api/activities/@:handle', '/api/activities/search', '/api/message_groups'] as const;
  const pages = ['/', '/@:handle', '/messages', '/notifications'] as const;
  const browsers = [['Chrome', '131'], ['Firefox', '133'], ['Safari', '18']] as const;
  const actions = ['reply', 'like', 'repost', 'share', 'Crud'] as const;
  const traces: object[] = [];
  const metrics: object[] = [];
  let spans = 0;
  let points = 0;
  const id = (bytes: number) => randomBytes(bytes).toString('hex');
  const span = (name: string, kind: number, startMs: number, durationMs: number, a: Record<string, Value>, error = false) => {
    spans++;
    return { traceId: id(16), spanId: id(8), name, kind, startTimeUnixNano: nanos(startMs), endTimeUnixNano: nanos(startMs + durationMs), attributes: attrs(a), status: error ? { code: 2 } : {} };
  };
  const request = (service: string, list: object[]) => ({ resourceSpans: [{ resource: { attributes: attrs({ 'service.name': service }) }, scopeSpans: [{ scope: { name: 'week-traffic' }, spans: list }] }] });
  for (let t = opts.endMs - hours * 3_600_000 + every; t <= opts.endMs; t += every) {
    const api: object[] = [];
    for (let i = 0; i < 12; i++) {
      const route = pick(routes);
      const failed = rnd() < 0.08;
      const status = failed ? 500 : 200;
      api.push(span(`GET ${route}`, 2, t - rnd() * every, 2 + rnd() * (route.includes('search') ? 80 : 25), { 'http.route': route, 'http.response.status_code': status, 'http.request.method': 'GET' }, failed));
    }
    traces.push(request(backend, api));
    const web: object[] = [];
    for (let i = 0; i < 4; i++) {
      const [browser, version] = pick(browsers);
      const page = pick(pages);
      const common = { 'page.route': page, 'browser.name': browser, 'browser.version': version, 'app.user_handle': rnd() < 0.5 ? 'andrewbrown' : 'bayko', 'app.traffic': rnd() < 0.25 ? 'synthetic' : 'user' };
      web.push(span('web-vital LCP', 1, t - rnd() * every, 0, { ...common, 'web_vital.name': 'LCP', 'web_vital.value': Math.round(600 + rnd() * 2400) }));
      web.push(span('click', 1, t - rnd() * every, 1, { ...common, 'app.action': pick(actions) }));
      web.push(span('page view', 1, t - rnd() * every, 0, { ...common, 'page.visible_ms': Math.round(2000 + rnd() * 60_000) }));
      if (rnd() < 0.3) web.push(span('js-error', 1, t - rnd() * every, 0, { ...common, 'exception.type': pick(['TypeError', 'ReferenceError']), 'exception.message': 'boom' }, true));
    }
    traces.push(request(frontend, web));
    // The collector's host_metrics (no service.name) and the backend's runtime, as gauges and sums.
    const gauge = (name: string, value: number, a: Record<string, Value> = {}) => (points++, { name, gauge: { dataPoints: [{ attributes: attrs(a), timeUnixNano: nanos(t), asDouble: value }] } });
    metrics.push({ resourceMetrics: [{ resource: { attributes: [] }, scopeMetrics: [{ scope: { name: 'hostmetrics' }, metrics: [gauge('system.memory.usage', 2e9 + rnd() * 5e8, { state: 'used' }), gauge('system.memory.usage', 6e9, { state: 'free' })] }] }] });
    metrics.push({ resourceMetrics: [{ resource: { attributes: attrs({ 'service.name': backend }) }, scopeMetrics: [{ scope: { name: 'runtime' }, metrics: [gauge('process.memory.usage', 1.8e8 + rnd() * 4e7), gauge('v8js.memory.heap.used', 2.5e7 + rnd() * 5e6), gauge('nodejs.eventloop.delay.p99', 0.01 + rnd() * 0.02)] }] }] });
  }
  return { traces, metrics, counts: { spans, points } };
}
