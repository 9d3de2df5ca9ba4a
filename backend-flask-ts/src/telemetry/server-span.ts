import { errorMonitor } from 'node:events';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import type { Request, RequestHandler } from 'express';
import { parse as parseForwarded } from 'forwarded-parse';

/**
 * One SERVER span per request, with the attributes @opentelemetry/instrumentation-http 0.301
 * sets (stable HTTP semantic conventions; each rule below cites its function in that
 * package's src/utils.ts) and the route that its Express instrumentation used to add.
 *
 * Why not that instrumentation: it patches every request and response emitter, parses
 * each URL with `new URL`, runs two context switches and made a second "request handler"
 * span. Together they cost more than the API's own work (bench/backend-overhead: the traced
 * backend kept 0.33–0.43 of its untraced throughput; with this middleware, see the bench).
 * It still traces outgoing calls (sdk.ts), where a student's later weeks need it.
 */
const tracer = trace.getTracer('backend-flask-ts/server-span');

// getIncomingRequestAttributes: KNOWN_METHODS / normalizeMethod, DEFAULT_QUERY_STRINGS_TO_REDACT.
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY']);
const REDACT = ['sig', 'Signature', 'AWSAccessKeyId', 'X-Goog-Signature', 'X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token'];

export const serverSpan: RequestHandler = (req, res, next) => {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const method = KNOWN_METHODS.has(req.method.toUpperCase()) ? req.method.toUpperCase() : '_OTHER';
  const span = tracer.startSpan(method, { kind: SpanKind.SERVER, attributes: requestAttributes(req, method) }, parent);
  const active = trace.setSpan(parent, span);
  if (span.isRecording()) {
    // No emitter binding: body-parser's raw-body binds its callback to the caller's async
    // context, so handlers after express.json() keep the span (a test sends a late body).
    let failed = false;
    res.once(errorMonitor, (err: Error) => {
      failed = true;
      span.setAttribute('error.type', err.name).setStatus({ code: SpanStatusCode.ERROR, message: err.message }).recordException(err);
      span.end();
    });
    // 'close', as the instrumentation does: it also comes when the client goes away.
    res.once('close', () => {
      if (failed) return;
      const status = res.statusCode;
      span.setAttribute('http.response.status_code', status);
      const route: unknown = req.route?.path;
      if (typeof route === 'string') span.setAttribute('http.route', route).updateName(`${method} ${route}`);
      // parseResponseStatus / parseErrorType for SpanKind.SERVER: only 5xx (or no status) is an error.
      if (!(status >= 100 && status < 500)) span.setStatus({ code: SpanStatusCode.ERROR });
      if (status >= 500 && status < 600) span.setAttribute('error.type', String(status));
      span.end();
    });
  }
  context.with(active, next);
};

function requestAttributes(req: Request, method: string): Attributes {
  const { headers, socket } = req;
  const url = req.originalUrl;
  const q = url.indexOf('?');
  const server = serverAddress(req);
  const attributes: Attributes = {
    'http.request.method': method,
    'url.scheme': 'http',
    'server.address': server?.host,
    'network.peer.address': socket.remoteAddress,
    'network.peer.port': socket.remotePort,
    'network.protocol.version': req.httpVersion,
    'user_agent.original': headers['user-agent'],
    'url.path': q < 0 ? url : url.slice(0, q),
  };
  if (q >= 0 && q < url.length - 1) attributes['url.query'] = redactQuery(url.slice(q + 1));
  const client = clientAddress(req);
  if (client) attributes['client.address'] = client;
  if (server?.port !== undefined) attributes['server.port'] = Number(server.port);
  if (method !== req.method) attributes['http.request.method_original'] = req.method;
  return attributes;
}

function redactQuery(query: string): string {
  const params = new URLSearchParams(query);
  for (const key of REDACT) if (params.has(key)) params.set(key, 'REDACTED');
  return params.toString();
}

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

function forwarded(req: Request): ReturnType<typeof parseForwarded> {
  const header = req.headers.forwarded;
  if (!header) return [];
  try {
    return parseForwarded(header);
  } catch {
    return [];
  }
}

// getServerAddress: Forwarded host, then X-Forwarded-Host (+ proto), then Host.
function serverAddress(req: Request): { host: string; port?: string } | undefined {
  for (const entry of forwarded(req)) if (entry.host) return hostAndPort(entry.host, entry.proto);
  const xHost = first(req.headers['x-forwarded-host']);
  if (xHost) return hostAndPort(xHost, first(req.headers['x-forwarded-proto']));
  const host = req.headers.host;
  return host ? hostAndPort(host, 'http') : undefined;
}

// parseHostHeader: the port from the header, else the scheme's default.
function hostAndPort(header: string, proto?: string): { host: string; port?: string } {
  const parts = header.split(':');
  const defaultPort = proto === 'http' ? '80' : proto === 'https' ? '443' : undefined;
  if (parts.length === 1) return { host: header, port: defaultPort };
  if (parts.length === 2) return { host: parts[0]!, port: parts[1] };
  if (parts[0]!.startsWith('[')) {
    if (parts.at(-1)!.endsWith(']')) return { host: header, port: defaultPort };
    if (parts.at(-2)!.endsWith(']')) return { host: parts.slice(0, -1).join(':'), port: parts.at(-1) };
  }
  return { host: header };
}

// getRemoteClientAddress: Forwarded for, then the first X-Forwarded-For, then the socket.
function clientAddress(req: Request): string | undefined {
  for (const entry of forwarded(req)) if (entry.for) return withoutPort(entry.for);
  const xFor = first(req.headers['x-forwarded-for']);
  if (xFor) return withoutPort(xFor.split(',')[0]!.trim());
  return req.socket.remoteAddress;
}

// removePortFromAddress
function withoutPort(address: string): string {
  try {
    const { hostname } = new URL(`http://${address}`);
    return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  } catch {
    return address;
  }
}
