import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { logger } from '../logging/logger.ts';
import { RequestError, type Problem } from './validation.ts';

// body-parser marks its errors with a type; each gets a status and words a client can act on.
const BODY_ERRORS: Record<string, { status: number; problem: Problem }> = {
  'entity.parse.failed': {
    status: 400,
    problem: { field: 'body', code: 'invalid_json', message: 'the body is not valid JSON' },
  },
  'entity.too.large': {
    status: 413,
    problem: { field: 'body', code: 'body_too_large', message: 'the body is larger than 16kb' },
  },
  'charset.unsupported': {
    status: 415,
    problem: { field: 'body', code: 'charset_unsupported', message: 'send the body as UTF-8 JSON' },
  },
  'encoding.unsupported': {
    status: 415,
    problem: { field: 'body', code: 'encoding_unsupported', message: 'send the body uncompressed or gzip' },
  },
};

/**
 * A client's mistake found below the routes, a 4xx with no stack in the log: a body that says
 * gzip but is not (zlib's Z_* codes, which body-parser passes on as they are), and what
 * Express's own layers mark with a 4xx status (router: a path with a malformed %-escape).
 */
function clientProblem(err: unknown): { status: number; problem: Problem } | undefined {
  const e = err as { code?: unknown; status?: unknown; statusCode?: unknown; expose?: boolean; message?: string } | undefined;
  if (typeof e?.code === 'string' && e.code.startsWith('Z_')) {
    return { status: 400, problem: { field: 'body', code: 'invalid_encoding', message: 'the body says content-encoding: gzip but is not gzip' } };
  }
  const status = Number(e?.status ?? e?.statusCode);
  if (!(status >= 400 && status < 500)) return undefined;
  if (err instanceof URIError) return { status, problem: { field: 'path', code: 'invalid_path', message: 'the path has a malformed %-escape' } };
  return { status, problem: { field: 'request', code: 'bad_request', message: e?.expose && e.message ? e.message : 'the request is malformed' } };
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({
    errors: [{ field: 'path', code: 'not_found', message: `no route for ${req.method} ${req.path}` }],
  });
};

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (err instanceof RequestError) {
    res.status(err.status).json({ errors: err.problems });
    return;
  }
  const bodyError = typeof err?.type === 'string' ? BODY_ERRORS[err.type] : undefined;
  if (bodyError) {
    res.status(bodyError.status).json({ errors: [bodyError.problem] });
    return;
  }
  const clientError = clientProblem(err);
  if (clientError) {
    res.status(clientError.status).json({ errors: [clientError.problem] });
    return;
  }
  // A bug: the span records the exception so the trace shows where, and the client gets
  // the trace id to quote instead of a stack.
  const span = trace.getActiveSpan();
  span?.recordException(err instanceof Error ? err : new Error(String(err)));
  span?.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
  logger.error('request failed', { method: req.method, path: req.path, error: err, stack: err?.stack });
  res.status(500).json({
    errors: [{ field: 'server', code: 'internal_error', message: 'the server failed; the trace id finds it in Honeycomb or X-Ray' }],
    trace_id: span?.spanContext().traceId,
  });
};
