import cors from 'cors';
import express, { type Express } from 'express';
import type { Config } from './config.ts';
import { errorHandler, notFound } from './http/errors.ts';
import { requestLog } from './http/request-log.ts';
import * as valid from './http/validation.ts';
import { createActivity, createReply } from './services/create-activity.ts';
import { homeActivities } from './services/home-activities.ts';
import { createMessage, messageGroups, messages } from './services/messages.ts';
import { notificationsActivities } from './services/notifications-activities.ts';
import { searchActivities } from './services/search-activities.ts';
import { userActivities } from './services/user-activities.ts';
import { serverSpan } from './telemetry/server-span.ts';

/**
 * Headers the browser may send: its fetch instrumentation adds the trace context ones, and
 * week 3 (Cognito) sends its token as `Authorization: Bearer …` (the course's app.py allows and
 * exposes Authorization from week-3-again on).
 */
export const CORS_ALLOWED_HEADERS = ['content-type', 'if-modified-since', 'authorization', 'traceparent', 'tracestate', 'baggage', 'x-amzn-trace-id'];

export function createApp(config: Config): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    cors({
      origin: [config.frontendUrl, config.backendUrl],
      allowedHeaders: CORS_ALLOWED_HEADERS,
      exposedHeaders: ['authorization'],
      methods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
      maxAge: 600, // browsers may reuse a preflight for 10 minutes
    }),
  );

  // Before the server span and request log: container probes every few seconds would bury
  // real requests in the dataset and the logs. (Preflights end in cors() above, untraced too.)
  app.get('/api/health-check', (_req, res) => {
    res.json({ success: true, ver: 1 });
  });

  app.use(serverSpan, requestLog);
  app.use(express.json({ limit: '16kb' }));

  app.get('/api/activities/home', (_req, res) => {
    res.json(homeActivities());
  });
  app.get('/api/activities/notifications', (_req, res) => {
    res.json(notificationsActivities());
  });
  app.get('/api/activities/search', (req, res) => {
    res.json(searchActivities(valid.searchTerm(req.query.term)));
  });
  app.get('/api/activities/@:handle', (req, res) => {
    res.json(userActivities(valid.handle(req.params.handle)));
  });
  app.post('/api/activities', (req, res) => {
    const { message, ttl } = valid.newActivity(req.body);
    res.status(201).json(createActivity(message, ttl));
  });
  app.post('/api/activities/:uuid/reply', (req, res) => {
    const uuid = valid.uuid(req.params.uuid);
    const { message } = valid.newReply(req.body);
    res.status(201).json(createReply(uuid, message));
  });
  app.get('/api/message_groups', (_req, res) => {
    res.json(messageGroups());
  });
  app.get('/api/messages/@:handle', (req, res) => {
    res.json(messages(valid.handle(req.params.handle)));
  });
  app.post('/api/messages', (req, res) => {
    const { message } = valid.newMessage(req.body);
    res.status(201).json(createMessage(message));
  });

  if (config.debugRoutes) {
    // Off unless ENABLE_DEBUG_ROUTES=true: a failing request, to see how errors look in a trace
    // (POST too: its handler runs after the body is read, in a later callback).
    const fail = () => {
      throw new Error('debug route: this error is deliberate');
    };
    app.get('/api/debug/error', fail);
    app.post('/api/debug/error', fail);
  }

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
