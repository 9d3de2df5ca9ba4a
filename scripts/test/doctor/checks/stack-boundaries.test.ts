// The stack checks at each boundary, against plain servers that answer as the real ones do at
// their edges: a status just outside 2xx, a page that is not the app, a preflight missing one
// header, the URL with a trailing slash, and the words and requests each check makes.
import type { IncomingMessage } from 'node:http';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { backendHealth, collectorCors, collectorHealth, collectorHealthUrl, frontendApiProxy, frontendOtlpProxy, frontendUp } from '../../../doctor/checks/stack.ts';
import { doctor } from '../../../doctor/main.ts';
import { loadSettings } from '../../../lib/workspace/settings.ts';
import { silentTerm } from '../../../lib/terminal/term.ts';
import { closedPort, listen } from '../../../../testkit/http.ts';
import { runCheck } from '../helpers.ts';

const APP = '<!doctype html><html><body><div id="root"></div></body></html>';

/** A server that answers every request with `status` and `body`, and keeps what it was asked. */
async function answering(status: number, body: string, headers: Record<string, string> = {}) {
  const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const server = await listen((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: text });
      res.writeHead(status, { 'content-type': 'text/html', ...headers }).end(body);
    });
  });
  return Object.assign(server, { seen });
}

test('the health URL: 13133 of the collector’s host, its path dropped, its scheme kept; OTEL_COLLECTOR_HEALTH_URL wins', () => {
  assert.is(collectorHealthUrl(loadSettings({ OTEL_COLLECTOR_URL: 'https://collector.example:4318/otlp/' }, {})), 'https://collector.example:13133/');
  assert.is(collectorHealthUrl(loadSettings({}, {})), 'http://localhost:13133/');
  assert.is(collectorHealthUrl(loadSettings({ OTEL_COLLECTOR_URL: 'http://otel-collector:4318', OTEL_COLLECTOR_HEALTH_URL: 'http://health:9/x' }, {})), 'http://health:9/x');
});

test('collector health: an unhealthy answer fails with its status and body; a 200 without the extension’s words still passes', async () => {
  const sick = await answering(503, '{"status":"Server not available"}');
  try {
    const r = await runCheck(collectorHealth, loadSettings({ OTEL_COLLECTOR_HEALTH_URL: `${sick.url}/` }, {}));
    assert.is(r.status, 'fail');
    assert.is(r.detail, `${sick.url}/ answered 503: {"status":"Server not available"}`);
    assert.is(r.fix, 'docker compose logs otel-collector shows why it is unhealthy (often a config error or a missing variable)');
  } finally {
    await sick.close();
  }
  const plain = await answering(200, 'ok');
  try {
    const r = await runCheck(collectorHealth, loadSettings({ OTEL_COLLECTOR_HEALTH_URL: `${plain.url}/` }, {}));
    assert.is(r.status, 'pass');
    assert.is(r.detail, `${plain.url}/ answered 200`);
  } finally {
    await plain.close();
  }
  // A long answer is quoted to its first 80 characters: one line of the report.
  const chatty = await answering(500, `${'x'.repeat(80)}and what follows`);
  try {
    assert.is((await runCheck(collectorHealth, loadSettings({ OTEL_COLLECTOR_HEALTH_URL: `${chatty.url}/` }, {}))).detail, `${chatty.url}/ answered 500: ${'x'.repeat(80)}`);
  } finally {
    await chatty.close();
  }
  const down = `http://127.0.0.1:${await closedPort()}/`;
  const r = await runCheck(collectorHealth, loadSettings({ OTEL_COLLECTOR_HEALTH_URL: down }, {}));
  assert.is(r.detail, `nothing is listening at ${down} (connection refused)`);
  assert.is(r.fix, 'start it: docker compose up -d otel-collector, or set the URL the collector runs on');
});

test('collector CORS: the browser’s own preflight is sent; "*" passes; the origin without traceparent fails on the header alone', async () => {
  const FRONTEND = 'https://3000-cruddur-abc.ws-us1.gitpod.io';
  const star = await answering(204, '', { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'Content-Type, TraceParent' });
  try {
    const r = await runCheck(collectorCors, loadSettings({ OTEL_COLLECTOR_URL: `${star.url}//`, VITE_OTEL_COLLECTOR_URL: star.url, FRONTEND_URL: `${FRONTEND}/home` }, {}));
    assert.is(r.status, 'pass', r.detail);
    const [asked] = star.seen;
    assert.equal([asked!.method, asked!.url, asked!.headers.origin, asked!.headers['access-control-request-method'], asked!.headers['access-control-request-headers']], ['OPTIONS', '/v1/traces', FRONTEND, 'POST', 'content-type,traceparent']);
  } finally {
    await star.close();
  }
  const noHeader = await answering(204, '', { 'access-control-allow-origin': FRONTEND, 'access-control-allow-headers': 'content-type' });
  try {
    const r = await runCheck(collectorCors, loadSettings({ OTEL_COLLECTOR_URL: noHeader.url, VITE_OTEL_COLLECTOR_URL: noHeader.url, FRONTEND_URL: FRONTEND }, {}));
    assert.is(r.status, 'fail');
    assert.is(r.detail, `the collector allows ${FRONTEND} but not the traceparent header`);
    assert.is(r.fix, `allow the origin in otel-collector/config.yaml (receivers.otlp.protocols.http.cors.allowed_origins reads FRONTEND_URL, now ${FRONTEND}) with traceparent in allowed_headers, then docker compose up -d --force-recreate otel-collector`);
  } finally {
    await noHeader.close();
  }
  // Split mode by VITE_BACKEND_URL alone is split mode too.
  const r = await runCheck(collectorCors, loadSettings({ OTEL_COLLECTOR_URL: `http://127.0.0.1:${await closedPort()}`, VITE_BACKEND_URL: 'http://localhost:4567' }, {}));
  assert.is(r.status, 'fail');
  assert.match(r.fix!, /^start it: docker compose up -d otel-collector/);
});

test('backend health: its health-check path, a trailing slash or not; a 500 fails with the logs to read', async () => {
  const ok = await answering(200, '{"success":true}');
  try {
    const r = await runCheck(backendHealth, loadSettings({ BACKEND_URL: `${ok.url}/` }, {}));
    assert.is(r.status, 'pass');
    assert.is(r.detail, `${ok.url}/api/health-check answered 200`);
    assert.is(ok.seen[0]!.url, '/api/health-check');
  } finally {
    await ok.close();
  }
  const broken = await answering(500, 'boom');
  try {
    const r = await runCheck(backendHealth, loadSettings({ BACKEND_URL: broken.url }, {}));
    assert.is(r.status, 'fail');
    assert.is(r.detail, `${broken.url}/api/health-check answered 500`);
    assert.is(r.fix, 'docker compose logs backend-flask-ts shows why');
  } finally {
    await broken.close();
  }
});

test('front end: a 404 fails; the browser’s URL is said for Gitpod Classic and a laptop', async () => {
  const missing = await answering(404, 'Not Found');
  try {
    const r = await runCheck(frontendUp, loadSettings({ FRONTEND_SERVER_URL: missing.url }, {}));
    assert.is(r.status, 'fail');
    assert.is(r.detail, `${missing.url} answered 404`);
    assert.is(r.fix, 'docker compose logs frontend-react-js shows why');
  } finally {
    await missing.close();
  }
  const app = await answering(200, APP);
  try {
    const gitpod = await runCheck(frontendUp, loadSettings({ FRONTEND_SERVER_URL: app.url, GITPOD_WORKSPACE_URL: 'https://cruddur-abc.ws-us1.gitpod.io' }, {}));
    assert.is(gitpod.detail, `${app.url} serves the app; the browser opens https://3000-cruddur-abc.ws-us1.gitpod.io`);
    const laptop = await runCheck(frontendUp, loadSettings({ FRONTEND_SERVER_URL: app.url }, {}));
    assert.is(laptop.detail, `${app.url} serves the app; the browser opens ${app.url}`);
  } finally {
    await app.close();
  }
  const other = await answering(200, '<h1>another project</h1>');
  try {
    const r = await runCheck(frontendUp, loadSettings({ FRONTEND_SERVER_URL: other.url }, {}));
    assert.is(r.fix, 'stop it (lsof -i :3000 names it), then docker compose up -d frontend-react-js');
  } finally {
    await other.close();
  }
});

test('the front end’s proxies: each status a proxy gives for a target that is down, the app’s page in any case, and a plain refusal', async () => {
  for (const status of [500, 502, 503, 504]) {
    const proxy = await answering(status, 'Bad Gateway');
    try {
      const api = await runCheck(frontendApiProxy, loadSettings({ FRONTEND_SERVER_URL: `${proxy.url}/` }, {}));
      assert.is(api.detail, `${proxy.url}/api/health-check answered ${status}: the front end is up, but its proxy cannot reach the backend`, String(status));
      assert.is(api.fix, 'start it: docker compose up -d backend-flask-ts; docker compose logs backend-flask-ts says why it is down');
      const otlp = await runCheck(frontendOtlpProxy, loadSettings({ FRONTEND_SERVER_URL: proxy.url }, {}));
      assert.is(otlp.detail, `${proxy.url}/v1/traces answered ${status}: the front end is up, but its proxy cannot reach the collector`);
      assert.is(otlp.fix, 'start it: docker compose up -d otel-collector; docker compose logs otel-collector says why it is down');
    } finally {
      await proxy.close();
    }
  }
  const page = await answering(200, `  <!DOCTYPE html>${APP.slice('<!doctype html>'.length)}`);
  try {
    const r = await runCheck(frontendOtlpProxy, loadSettings({ FRONTEND_SERVER_URL: page.url }, {}));
    assert.is(r.detail, `${page.url}/v1/traces answered with the app's page, not the collector: the front end's server does not proxy this path`);
    // The export it sent is an empty one, as JSON.
    assert.equal([page.seen[0]!.method, page.seen[0]!.headers['content-type'], page.seen[0]!.body], ['POST', 'application/json', '{"resourceSpans":[]}']);
  } finally {
    await page.close();
  }
  const refused = await answering(400, 'unsupported content type, and more text than the doctor should quote in one line ................');
  try {
    const otlp = await runCheck(frontendOtlpProxy, loadSettings({ FRONTEND_SERVER_URL: refused.url }, {}));
    // 80 characters of the body, no more.
    assert.is(otlp.detail, `${refused.url}/v1/traces answered 400: unsupported content type, and more text than the doctor should quote in one line`);
    assert.is(otlp.fix, 'docker compose logs otel-collector shows why it refuses OTLP');
    const api = await runCheck(frontendApiProxy, loadSettings({ FRONTEND_SERVER_URL: refused.url }, {}));
    assert.is(api.detail, `${refused.url}/api/health-check answered 400`);
    assert.is(api.fix, 'docker compose logs backend-flask-ts shows why');
  } finally {
    await refused.close();
  }
  const ok = await answering(200, '{}');
  try {
    assert.is((await runCheck(frontendApiProxy, loadSettings({ FRONTEND_SERVER_URL: ok.url }, {}))).detail, `${ok.url}/api/health-check answered 200 through the front end's proxy: the browser's path to the API works`);
    assert.is((await runCheck(frontendOtlpProxy, loadSettings({ FRONTEND_SERVER_URL: ok.url }, {}))).detail, `${ok.url}/v1/traces accepted an OTLP export through the front end's proxy: the browser's path to the collector works`);
  } finally {
    await ok.close();
  }
});

test('an address setting that is no http(s) URL fails on its own words and fix, before anything is asked; OTEL_COLLECTOR_HEALTH_URL set, the collector’s address is not needed', async () => {
  const bad = loadSettings({ OTEL_COLLECTOR_URL: 'localhost:4318', BACKEND_URL: 'ftp://backend' }, { FRONTEND_SERVER_URL: '::3000' });
  const r = (check: Parameters<typeof runCheck>[0]) => runCheck(check, bad).then((f) => [f.status, f.detail, f.fix]);
  assert.equal(await r(collectorHealth), ['fail', 'OTEL_COLLECTOR_URL is "localhost:4318" (environment), not an http(s) URL', 'set it to an address like http://localhost:4318']);
  assert.equal(await r(backendHealth), ['fail', 'BACKEND_URL is "ftp://backend" (environment), not an http(s) URL', 'set it to an address like http://localhost:4567']);
  for (const check of [frontendUp, frontendApiProxy, frontendOtlpProxy]) assert.equal(await r(check), ['fail', 'FRONTEND_SERVER_URL is "::3000" (.env), not an http(s) URL', 'set it to an address like http://localhost:3000'], check.id);
  const health = await answering(200, '{"status":"Server available"}');
  try {
    const f = await runCheck(collectorHealth, loadSettings({ OTEL_COLLECTOR_URL: 'localhost:4318', OTEL_COLLECTOR_HEALTH_URL: health.url }, {}));
    assert.is(f.status, 'pass', f.detail);
  } finally {
    await health.close();
  }
  // The health URL, when set, is the address checked, from where it was set.
  assert.equal(
    await runCheck(collectorHealth, loadSettings({ OTEL_COLLECTOR_URL: 'http://127.0.0.1:4318' }, { OTEL_COLLECTOR_HEALTH_URL: 'localhost:13133' })).then((f) => [f.status, f.detail, f.fix]),
    ['fail', 'OTEL_COLLECTOR_HEALTH_URL is "localhost:13133" (.env), not an http(s) URL', 'set it to an http(s) URL'],
  );
  assert.is((await runCheck(collectorHealth, loadSettings({ OTEL_COLLECTOR_HEALTH_URL: 'localhost:13133' }, {}))).detail, 'OTEL_COLLECTOR_HEALTH_URL is "localhost:13133" (environment), not an http(s) URL');
  // A good address, no health URL: asked at 13133 of its host (answering or not, it is asked).
  const asked = await runCheck(collectorHealth, loadSettings({ OTEL_COLLECTOR_URL: 'http://127.0.0.1:4318' }, {}));
  assert.match(asked.detail, /127\.0\.0\.1:13133/, JSON.stringify(asked));
});

test('addresses ending in several slashes: each check asks its own path, with no empty segment', async () => {
  const app = await answering(200, APP);
  try {
    for (const check of [backendHealth, frontendApiProxy, frontendOtlpProxy]) {
      app.seen.length = 0;
      await runCheck(check, loadSettings({ BACKEND_URL: `${app.url}///`, FRONTEND_SERVER_URL: `${app.url}///` }, {}));
      assert.equal(app.seen.map((x) => x.url), [check === frontendOtlpProxy ? '/v1/traces' : '/api/health-check'], check.id);
    }
  } finally {
    await app.close();
  }
});

test('the doctor prints each under the stack group, with its title and id', async () => {
  const down = `http://127.0.0.1:${await closedPort()}`;
  const term = silentTerm();
  const checks = [collectorHealth, collectorCors, backendHealth, frontendUp, frontendApiProxy, frontendOtlpProxy];
  // Every URL down, the collector's health port too (a collector of another test may hold 13133).
  const settings = loadSettings({ OTEL_COLLECTOR_URL: down, OTEL_COLLECTOR_HEALTH_URL: `${down}/`, BACKEND_URL: down, FRONTEND_SERVER_URL: down, VITE_OTEL_COLLECTOR_URL: down }, {});
  const { results } = await doctor(['--only', 'stack'], { settings, term, checks, startDir: '/nonexistent' });
  assert.equal(results.map((r) => [r.id, r.group]), [
    ['stack.collector-health', 'stack'],
    ['stack.collector-cors', 'stack'],
    ['stack.backend', 'stack'],
    ['stack.frontend', 'stack'],
    ['stack.frontend-api', 'stack'],
    ['stack.frontend-otlp', 'stack'],
  ]);
  // Each names what is not running there, and the service that starts it.
  const refused = (url: string, compose: string, service: string) => ['fail', `nothing is listening at ${url} (connection refused)`, `start it: docker compose up -d ${compose}, or set the URL ${service} runs on`];
  assert.equal(results.map((r) => [r.status, r.detail, r.fix]), [
    refused(`${down}/`, 'otel-collector', 'the collector'),
    refused(`${down}/v1/traces`, 'otel-collector', 'the collector'),
    refused(`${down}/api/health-check`, 'backend-flask-ts', 'the backend'),
    refused(down, 'frontend-react-js', 'the front end'),
    refused(`${down}/api/health-check`, 'frontend-react-js', 'the front end'),
    refused(`${down}/v1/traces`, 'frontend-react-js', 'the front end'),
  ]);
  const out = term.lines.join('\n');
  for (const [title, id] of [['collector health', 'collector-health'], ['collector CORS for the front end', 'collector-cors'], ['backend health check', 'backend'], ['front end', 'frontend'], ["the front end's /api reaches the backend", 'frontend-api'], ["the front end's /v1/traces reaches the collector", 'frontend-otlp']]) {
    assert.ok(out.includes(`✘ ${title} (stack.${id})`), `${title}\n${out}`);
  }
});

test.run();
