// A transparent HTTP forwarder between two real parties, for the tests: it records what
// passes, and when shut answers in the destination's place so nothing gets through. In front
// of the collector's receiver it shows what reached the collector; between the collector and
// a cloud fake it makes "a collector that accepts spans but delivers them nowhere" out of the
// real collector, without a second collector config.
import { request } from 'node:http';
import { listen } from '../scripts/lib/net/http-server.ts';

export interface PassedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Whether it went through, or the gate answered it. */
  forwarded: boolean;
}

/**
 * `closedAnswer`: what a shut gate answers. 403 by default: the otlp_http exporter and the
 * AWS SDK both take it as a permanent error and drop the data, with no retries queued for
 * later (exporterhelper's retry_on_failure retries only retryable statuses).
 */
export async function startGate(target: string, opts: { closedAnswer?: { status: number; body: string; contentType: string } } = {}) {
  const to = new URL(target);
  const requests: PassedRequest[] = [];
  const state = { open: true };
  const closed = opts.closedAnswer ?? { status: 403, body: '{"message":"the test shut this path"}', contentType: 'application/json' };
  const running = await listen((req, res) => {
    const passed: PassedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: { ...req.headers }, forwarded: state.open };
    requests.push(passed);
    if (!state.open) {
      req.resume();
      res.writeHead(closed.status, { 'content-type': closed.contentType }).end(closed.body);
      return;
    }
    // Headers as sent, Host included: SigV4 signs the host the client called.
    const upstream = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`gate: ${target} did not answer: ${err.message}`);
    });
    req.pipe(upstream);
  });
  return {
    ...running,
    requests,
    setOpen(open: boolean) {
      state.open = open;
    },
  };
}

export type Gate = Awaited<ReturnType<typeof startGate>>;
