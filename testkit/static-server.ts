import { createReadStream, existsSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { listen } from './http.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/**
 * Serves a built single-page app as frontend-react-js/nginx.conf does: files as they are, a
 * missing file under /assets/ a 404 (that location has no try_files), any other path index.html. Paths
 * under a `proxy` prefix go to its target instead, as the prod nginx does for /api and
 * /v1/traces (502 when the target does not answer, as nginx's).
 */
export async function serveStatic(root: string, proxy: Record<string, string> = {}, opts: { dropHeaders?: string[] } = {}) {
  return listen((req, res) => {
    const target = Object.entries(proxy).find(([prefix]) => req.url?.startsWith(prefix))?.[1];
    if (target) {
      // A proxy that drops headers (dropHeaders), as a misconfigured one in front of the backend can.
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !opts.dropHeaders?.includes(k)));
      const upstream = request(new URL(req.url!, target), { method: req.method, headers: { ...headers, host: new URL(target).host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.headersSent || res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1></body></html>'));
      req.pipe(upstream);
      return;
    }
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(root, path);
    const missing = !existsSync(file) || statSync(file).isDirectory();
    if (missing && path.startsWith('/assets/')) return void res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body><h1>404 Not Found</h1></body></html>');
    if (missing) file = join(root, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
}
