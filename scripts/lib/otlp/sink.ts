import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, readBody } from '../net/http-server.ts';
import { decodeLogs, decodeMetrics, decodeTraces, ExportLogsResponse, ExportMetricsResponse, ExportResponse, type ReceivedLog, type ReceivedMetricPoint, type ReceivedSpan } from './decode.ts';

export interface SinkOptions {
  /** Origins allowed by CORS, like the collector's `cors.allowed_origins`. Empty: no CORS at all. */
  corsOrigins?: string[];
  /** Extra request headers allowed by CORS, like `cors.allowed_headers`. */
  corsHeaders?: string[];
  port?: number;
  /** The address to listen on: loopback unless inside a container. */
  host?: string;
  /** Runs before a POST is decoded; returning true means it answered (tests use it to fail or hang). */
  intercept?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Runs after a POST was decoded and accepted (a collector stand-in forwards from here). */
  onExport?: (spans: ReceivedSpan[], body: Buffer, req: IncomingMessage) => void;
  /** The signals it accepts; the collector's receiver serves /v1/logs only for a logs pipeline. */
  signals?: ('traces' | 'logs' | 'metrics')[];
  /** The same for a logs POST (/v1/logs). */
  onExportLogs?: (logs: ReceivedLog[], body: Buffer, req: IncomingMessage) => void;
}

export interface ReceivedRequest {
  path: string;
  contentType: string;
  headers: IncomingMessage['headers'];
  /** Spans, or log records on /v1/logs. */
  spanCount: number;
}

// confighttp allows these without listing them (rs/cors's simple headers).
const ALWAYS_ALLOWED = ['accept', 'accept-language', 'content-type', 'content-language', 'origin', 'x-requested-with'];

/**
 * A local OTLP/HTTP sink for traces and logs: what `npm run smoke` sends to with no cloud account, and the
 * collector's stand-in in tests. Decodes protobuf and JSON, answers as the OTLP/HTTP spec
 * says, and applies CORS as the collector's confighttp does: a disallowed origin or header
 * gets no CORS headers at all.
 */
export async function startOtlpSink(options: SinkOptions = {}) {
  const spans: ReceivedSpan[] = [];
  const logs: ReceivedLog[] = [];
  const metrics: ReceivedMetricPoint[] = [];
  const requests: ReceivedRequest[] = [];
  const listeners = new Set<() => void>();
  const origins = new Set(options.corsOrigins ?? []);
  const allowedHeaders = new Set([...ALWAYS_ALLOWED, ...(options.corsHeaders ?? []).map((h) => h.toLowerCase())]);

  const cors = (req: IncomingMessage, res: ServerResponse): boolean => {
    const origin = req.headers.origin;
    if (!origin || !origins.has(origin)) return false;
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    return true;
  };

  const running = await listen(async (req, res) => {
    if (req.method === 'OPTIONS') {
      const requested = String(req.headers['access-control-request-headers'] ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean);
      if (requested.every((h) => allowedHeaders.has(h)) && cors(req, res)) {
        res.setHeader('Access-Control-Allow-Methods', 'POST');
        if (requested.length) res.setHeader('Access-Control-Allow-Headers', requested.join(', '));
      }
      res.writeHead(204).end();
      return;
    }
    cors(req, res);
    const accepted = (options.signals ?? ['traces', 'logs', 'metrics']).map((s) => `/v1/${s}`);
    const signal = req.method === 'POST' && accepted.includes(req.url ?? '') ? (req.url as '/v1/traces' | '/v1/logs' | '/v1/metrics') : undefined;
    if (!signal) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
      return;
    }
    const body = await readBody(req);
    if (options.intercept?.(req, res)) return;
    const contentType = String(req.headers['content-type'] ?? '');
    let count: number;
    try {
      if (signal === '/v1/traces') {
        const decoded = decodeTraces(body, contentType);
        spans.push(...decoded);
        count = decoded.length;
        options.onExport?.(decoded, body, req);
      } else if (signal === '/v1/logs') {
        const decoded = decodeLogs(body, contentType);
        logs.push(...decoded);
        count = decoded.length;
        options.onExportLogs?.(decoded, body, req);
      } else {
        const decoded = decodeMetrics(body, contentType);
        metrics.push(...decoded);
        count = decoded.length;
      }
    } catch (err) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 3, message: (err as Error).message }));
      return;
    }
    requests.push({ path: signal, contentType, headers: req.headers, spanCount: count });
    if (contentType.startsWith('application/json')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    } else {
      const response = signal === '/v1/traces' ? ExportResponse : signal === '/v1/logs' ? ExportLogsResponse : ExportMetricsResponse;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(response.encode({}).finish());
    }
    for (const notify of listeners) notify();
  }, options.port, options.host);

  /** Resolves with the matching items once there are `count`, or with what matched at the deadline. */
  const until = <T>(items: T[], match: (item: T) => boolean, count: number, deadline: AbortSignal): Promise<T[]> =>
    new Promise((resolve) => {
      const check = () => {
        const found = items.filter(match);
        if (found.length >= count || deadline.aborted) {
          listeners.delete(check);
          resolve(found);
        }
      };
      listeners.add(check);
      deadline.addEventListener('abort', check, { once: true });
      check();
    });

  return {
    ...running,
    spans,
    logs,
    metrics,
    requests,
    until: (match: (s: ReceivedSpan) => boolean, count: number, deadline: AbortSignal) => until(spans, match, count, deadline),
    untilLogs: (match: (l: ReceivedLog) => boolean, count: number, deadline: AbortSignal) => until(logs, match, count, deadline),
  };
}

export type OtlpSink = Awaited<ReturnType<typeof startOtlpSink>>;
