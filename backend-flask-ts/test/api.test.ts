import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { setWriter } from '../src/logging/logger.ts';

const api = suite<{ server: Server; url: string; logs: string[] }>('the Cruddur API');

api.before(async (ctx) => {
  ctx.logs = [];
  setWriter((line) => ctx.logs.push(line));
  const app = createApp(loadConfig({ PORT: '0', FRONTEND_URL: 'https://3000-cruddur.gitpod.example/' }));
  ctx.server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  ctx.url = `http://127.0.0.1:${(ctx.server.address() as AddressInfo).port}`;
});
api.after((ctx) => {
  ctx.server.close();
});

const get = (url: string, path: string) => fetch(url + path);
const post = (url: string, path: string, body: string, type = 'application/json') =>
  fetch(url + path, { method: 'POST', body, headers: { 'content-type': type } });

async function problems(res: Response): Promise<string[]> {
  const body = (await res.json()) as { errors: { code: string; message: string }[] };
  for (const p of body.errors) assert.ok(p.message.length > 10, `"${p.code}" has a message a person can act on`);
  return body.errors.map((p) => p.code);
}

api('GET /api/activities/home returns the course’s three activities', async ({ url }) => {
  const res = await get(url, '/api/activities/home');
  assert.is(res.status, 200);
  const body = (await res.json()) as { handle: string; replies: unknown[] }[];
  assert.equal(body.map((a) => a.handle), ['Andrew Brown', 'Worf', 'Garek']);
  assert.is(body[0]!.replies.length, 1);
});

api('the read routes answer with their mock data', async ({ url }) => {
  for (const [path, check] of [
    ['/api/activities/notifications', (b: any) => b[0].handle === 'coco'],
    ['/api/activities/@andrewbrown', (b: any) => b[0].handle === 'andrewbrown' && b[0].display_name === 'Andrew Brown'],
    ['/api/activities/@someone', (b: any) => b[0].handle === 'someone' && !('display_name' in b[0])],
    ['/api/activities/search?term=cloud', (b: any) => b.map((a: any) => a.message).join('|') === 'Cloudflare is used by many websites|Cloud is very fun!'],
    // A word the home feed shows is found (the course's mock searched only its one result).
    ['/api/activities/search?term=prune', (b: any) => b.length === 1 && b[0].message === 'I am out of prune juice'],
    ['/api/activities/search?term=zzz', (b: any) => b.length === 0],
    ['/api/message_groups', (b: any) => b.length === 2],
    ['/api/messages/@worf', (b: any) => b[1].handle === 'worf'],
    ['/api/messages/@bayko', (b: any) => b[1].display_name === 'Andrew Bayko'],
    ['/api/health-check', (b: any) => b.success === true],
  ] as const) {
    const res = await get(url, path);
    assert.is(res.status, 200, path);
    assert.ok(check(await res.json()), path);
  }
});

api('the write routes create and return the new item', async ({ url }) => {
  let res = await post(url, '/api/activities', JSON.stringify({ message: 'Tracing works!', ttl: '7-days' }));
  assert.is(res.status, 201);
  const activity = (await res.json()) as { uuid: string; handle: string; created_at: string; expires_at: string };
  assert.is(activity.handle, 'andrewbrown');
  assert.is(Date.parse(activity.expires_at) - Date.parse(activity.created_at), 7 * 24 * 3600 * 1000);

  res = await post(url, `/api/activities/${activity.uuid}/reply`, JSON.stringify({ message: 'Indeed' }));
  assert.is(res.status, 201);
  const reply = (await res.json()) as { reply_to_activity_uuid: string; handle: string; display_name: string };
  assert.equal([reply.reply_to_activity_uuid, reply.handle, reply.display_name], [activity.uuid, 'andrewbrown', 'Andrew Brown'], 'its author as the page shows them');

  res = await post(url, '/api/messages', JSON.stringify({ message: 'Qapla', user_receiver_handle: 'worf' }));
  assert.is(res.status, 201);
});

api('malformed JSON is a 400 that says so', async ({ url }) => {
  const res = await post(url, '/api/activities', '{"message": "hi", ');
  assert.is(res.status, 400);
  assert.equal(await problems(res), ['invalid_json']);
});

api('a body that is not JSON, or not an object, is refused with the reason', async ({ url }) => {
  let res = await post(url, '/api/activities', 'message=hi', 'application/x-www-form-urlencoded');
  assert.is(res.status, 415);
  assert.equal(await problems(res), ['json_required']);
  res = await post(url, '/api/messages', '["hi"]');
  assert.is(res.status, 400);
  assert.equal(await problems(res), ['json_object_required']);
});

api('a missing or over-long message and an unknown ttl are 422s naming each field', async ({ url }) => {
  let res = await post(url, '/api/activities', JSON.stringify({ ttl: '2-weeks' }));
  assert.is(res.status, 422);
  assert.equal(await problems(res), ['message_blank', 'ttl_invalid']);

  res = await post(url, '/api/activities', JSON.stringify({ message: 'x'.repeat(281), ttl: '1-hour' }));
  assert.is(res.status, 422);
  assert.equal(await problems(res), ['message_exceed_max_chars']);

  res = await post(url, '/api/activities', JSON.stringify({ message: 'hi' }));
  assert.equal(await problems(res), ['ttl_blank']);

  res = await post(url, '/api/messages', JSON.stringify({ message: 'x'.repeat(1025), user_receiver_handle: 'w o r f' }));
  assert.is(res.status, 422);
  assert.equal(await problems(res), ['message_exceed_max_chars', 'user_receiver_handle_invalid']);

  res = await post(url, '/api/activities/not-a-uuid/reply', JSON.stringify({ message: 'hi' }));
  assert.is(res.status, 400);
  assert.equal(await problems(res), ['activity_uuid_invalid']);
});

api('handles with characters no handle has, and blank searches, are refused', async ({ url }) => {
  for (const path of ['/api/activities/@bad%20handle', '/api/activities/@%3Cscript%3E', `/api/messages/@${'a'.repeat(33)}`]) {
    const res = await get(url, path);
    assert.is(res.status, 400, path);
  }
  const res = await get(url, '/api/activities/search?term=%20');
  assert.is(res.status, 422);
  assert.equal(await problems(res), ['search_term_blank']);
});

api('a body over 16kb is a 413, and an unknown route a 404, both in JSON', async ({ url }) => {
  let res = await post(url, '/api/messages', JSON.stringify({ message: 'x'.repeat(20_000) }));
  assert.is(res.status, 413);
  assert.equal(await problems(res), ['body_too_large']);
  res = await get(url, '/api/nope');
  assert.is(res.status, 404);
  assert.equal(await problems(res), ['not_found']);
});

api('a body that says gzip but is not, and a malformed %-escape in the path, are 400s with no error logged', async ({ url, logs }) => {
  const before = logs.length;
  let res = await fetch(`${url}/api/activities`, { method: 'POST', body: 'not gzip at all', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
  assert.is(res.status, 400);
  assert.equal(await problems(res), ['invalid_encoding']);
  res = await get(url, '/api/activities/@%ZZ');
  assert.is(res.status, 400);
  assert.equal(await problems(res), ['invalid_path']);
  const lines = logs.slice(before).map((l) => JSON.parse(l) as { level: string });
  assert.not.ok(lines.some((l) => l.level === 'error'), 'a client’s mistake is not a server error');
  assert.not.ok(logs.slice(before).some((l) => l.includes('node_modules')), 'no stack in the log');
});

api('after all that bad input the server still serves', async ({ url }) => {
  const res = await get(url, '/api/activities/home');
  assert.is(res.status, 200);
});

api('the debug error route does not exist unless enabled', async ({ url }) => {
  assert.is((await get(url, '/api/debug/error')).status, 404);
});

api('CORS allows the front end’s origin with trace headers and week 3’s Authorization, and nobody else', async ({ url }) => {
  const preflight = (origin: string) =>
    fetch(`${url}/api/activities/home`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'traceparent,tracestate,authorization' },
    });
  let res = await preflight('https://3000-cruddur.gitpod.example');
  assert.is(res.headers.get('access-control-allow-origin'), 'https://3000-cruddur.gitpod.example');
  const allowed = String(res.headers.get('access-control-allow-headers')).split(',');
  for (const h of ['traceparent', 'tracestate', 'authorization']) assert.ok(allowed.includes(h), `${h} in ${allowed}`);
  const real = await fetch(`${url}/api/activities/home`, { headers: { origin: 'https://3000-cruddur.gitpod.example', authorization: 'Bearer x' } });
  assert.is(real.headers.get('access-control-expose-headers'), 'authorization');
  res = await preflight('https://evil.example');
  assert.is(res.headers.get('access-control-allow-origin'), null);
});

api('every request is logged as one JSON line', async ({ url, logs }) => {
  await get(url, '/api/activities/notifications');
  const line = logs.map((l) => JSON.parse(l)).find((l) => l.path === '/api/activities/notifications');
  assert.ok(line, 'a request line');
  assert.is(line.msg, 'request');
  assert.is(line.status, 200);
  assert.is(line.route, '/api/activities/notifications');
  assert.is(typeof line.duration_ms, 'number');
});

api.run();

const config = suite('configuration');

config('a bad PORT or FRONTEND_URL is a clear error naming the variable', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT="eighty" is not a port number/);
  assert.throws(() => loadConfig({ FRONTEND_URL: 'localhost:3000' }), /FRONTEND_URL="localhost:3000" is not a URL/);
});

config('defaults are the course’s ports', () => {
  const c = loadConfig({});
  assert.is(c.port, 4567);
  assert.is(c.frontendUrl, 'http://localhost:3000');
  assert.is(c.backendUrl, 'http://localhost:4567');
});

config.run();
