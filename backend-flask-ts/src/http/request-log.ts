import { trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { log } from '../logging/logger.ts';

/** One log line per request, with the ids of its server span (captured now: 'finish' runs outside it). */
export const requestLog: RequestHandler = (req, res, next) => {
  const started = performance.now();
  const span = trace.getActiveSpan()?.spanContext();
  res.on('finish', () => {
    log(res.statusCode >= 500 ? 'error' : 'info', 'request', {
      method: req.method,
      route: req.route?.path ?? null,
      path: req.path,
      status: res.statusCode,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
    }, span);
  });
  next();
};
