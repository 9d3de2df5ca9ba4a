import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, readBody, waitFor } from './http.ts';
import { decodeTraces, ExportResponse, type ReceivedSpan } from './otlp.ts';

export type ReceiverMode = 'ok' | 'hang' | 'fail';

export interface ReceiverOptions {
  /** Origins allowed by CORS, like the collector's `cors.allowed_origins`. Empty: no CORS at all. */
  corsOrigins?: string[];
  /** Extra request headers allowed by CORS, like `cors.allowed_headers`. */
  corsHeaders?: string[];
  mode?: ReceiverMode;
}

export interface ReceivedRequest {
  path: string;
  contentType: string;
  headers: IncomingMessage['headers'];
  spanCount: number;
}

// confighttp allows these without listing them (rs/cors's simple headers).
const ALWAYS_ALLOWED = ['accept', 'accept-language', 'content-type', 'content-language', 'origin', 'x-requested-with'];

/**
 * An OTLP/HTTP trace receiver standing in for the collector (or Honeycomb's ingest): decodes
 * protobuf and JSON, answers as the OTLP/HTTP spec says, and applies CORS the way the
 * collector's confighttp does: a disallowed origin or header gets no CORS headers at all.
 */
export async function startOtlpReceiver(options: ReceiverOptions = {}) {
  const spans: ReceivedSpan[] = [];
  const requests: ReceivedRequest[] = [];
  const state = { mode: options.mode ?? 'ok' };
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
    if (req.method !== 'POST' || req.url !== '/v1/traces') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
      return;
    }
    const body = await readBody(req);
    if (state.mode === 'hang') return; // never answers: the client's timeout must save it
    if (state.mode === 'fail') {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"code":14,"message":"unavailable"}');
      return;
    }
    const contentType = String(req.headers['content-type'] ?? '');
    let decoded: ReceivedSpan[];
    try {
      decoded = decodeTraces(body, contentType);
    } catch (err) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 3, message: (err as Error).message }));
      return;
    }
    spans.push(...decoded);
    requests.push({ path: req.url, contentType, headers: req.headers, spanCount: decoded.length });
    if (contentType.startsWith('application/json')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    } else {
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(ExportResponse.encode({}).finish());
    }
  });

  return {
    ...running,
    spans,
    requests,
    setMode(mode: ReceiverMode) {
      state.mode = mode;
    },
    /** Resolves with the spans once `count` of them match, or rejects after `timeoutMs`. */
    waitForSpans(match: (s: ReceivedSpan) => boolean, count = 1, timeoutMs = 5000): Promise<ReceivedSpan[]> {
      return waitFor(
        () => {
          const found = spans.filter(match);
          return found.length >= count ? found : undefined;
        },
        timeoutMs,
        `${count} matching span(s); received: ${spans.map((s) => s.name).join(', ') || 'none'}`,
      );
    },
  };
}

export type OtlpReceiver = Awaited<ReturnType<typeof startOtlpReceiver>>;
