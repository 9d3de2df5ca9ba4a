// The Honeycomb fake behind a loopback proxy that answers some paths itself: one endpoint
// failing while /1/auth and the rest stay the fake's, so the key is still one it knows.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, readBody, type Running } from './http.ts';

/** `intercept` answers a request and returns true, or returns false to pass it to `upstream`. */
export async function honeycombProxy(upstream: string, intercept: (req: IncomingMessage, res: ServerResponse) => boolean): Promise<Running> {
  return listen(async (req, res) => {
    if (intercept(req, res)) return;
    const body = await readBody(req);
    const up = await fetch(`${upstream}${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: body.length ? new Uint8Array(body) : undefined });
    res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await up.arrayBuffer()));
  });
}

/** An answer of `status` with a JSON body: Honeycomb's v1 API answers errors as {"error": "…"} (docs.honeycomb.io/api, Errors), as the fake's server-error mode does. */
export const answer = (res: ServerResponse, status: number, body: unknown) => (res.writeHead(status, { 'content-type': 'application/json' }), res.end(JSON.stringify(body)), true);
