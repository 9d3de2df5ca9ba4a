import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { backendHealth, collectorCors, collectorHealth, collectorHealthUrl, frontendUp } from '../../../doctor/checks/stack.ts';
import { loadSettings } from '../../../lib/workspace/settings.ts';
import { startBackend } from '../../../../testkit/backend.ts';
import { startCollector } from '../../../../testkit/collector.ts';
import { closedPort, listen } from '../../../../testkit/http.ts';
import { runCheck } from '../helpers.ts';

const FRONTEND = 'https://3000-cruddur-abc.ws-us1.gitpod.io';

test('the health URL is port 13133 of the collector’s host', () => {
  assert.is(collectorHealthUrl(loadSettings({ OTEL_COLLECTOR_URL: 'http://otel-collector:4318' }, {})), 'http://otel-collector:13133/');
});

test('collector health passes on the health_check extension’s answer, fails on a refusal', async () => {
  const health = await listen((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"Server available","upSince":"2026-11-26T10:00:00Z","uptime":"1m0s"}'));
  let r = await runCheck(collectorHealth, loadSettings({ OTEL_COLLECTOR_HEALTH_URL: `${health.url}/` }, {}));
  assert.is(r.status, 'pass');
  assert.match(r.detail, /answered 200: Server available/);
  await health.close();
  r = await runCheck(collectorHealth, loadSettings({ OTEL_COLLECTOR_HEALTH_URL: `http://127.0.0.1:${await closedPort()}/` }, {}));
  assert.is(r.status, 'fail');
  assert.match(r.fix!, /docker compose up -d otel-collector/);
});

test('collector CORS passes for the front end’s origin with traceparent, and fails for another', async () => {
  const collector = await startCollector({ frontendUrl: FRONTEND });
  // Split mode: the page posts to the collector's own origin.
  let r = await runCheck(collectorCors, loadSettings({ OTEL_COLLECTOR_URL: collector.url, VITE_OTEL_COLLECTOR_URL: collector.url, FRONTEND_URL: `${FRONTEND}/` }, {}));
  assert.is(r.status, 'pass');
  assert.is(r.detail, `preflight from ${FRONTEND} allowed with traceparent`);
  r = await runCheck(collectorCors, loadSettings({ OTEL_COLLECTOR_URL: collector.url, VITE_OTEL_COLLECTOR_URL: collector.url, FRONTEND_URL: 'https://3000-cruddur-new.ws-us2.gitpod.io' }, {}));
  assert.is(r.status, 'fail');
  assert.match(r.detail, /refuses the browser at https:\/\/3000-cruddur-new\.ws-us2\.gitpod\.io/);
  assert.match(r.fix!, /allowed_origins reads FRONTEND_URL/);
  await collector.close();
});

test('collector CORS fails when traceparent is not an allowed header', async () => {
  const { startOtlpSink } = await import('../../../lib/otlp/sink.ts');
  const sink = await startOtlpSink({ corsOrigins: [FRONTEND] });
  const r = await runCheck(collectorCors, loadSettings({ OTEL_COLLECTOR_URL: sink.url, VITE_OTEL_COLLECTOR_URL: sink.url, FRONTEND_URL: FRONTEND }, {}));
  assert.is(r.status, 'fail');
  assert.match(r.detail, /refuses the browser|not the traceparent header/);
  await sink.close();
});

test('the backend and front end checks pass when they answer and fail with the compose command when not', async () => {
  const be = await startBackend({ traced: false });
  const page = await listen((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><div id="root"></div>'));
  const up = loadSettings({ BACKEND_URL: be.url, FRONTEND_SERVER_URL: page.url }, {});
  assert.is((await runCheck(backendHealth, up)).status, 'pass');
  assert.is((await runCheck(frontendUp, up)).status, 'pass');
  await be.stop();
  await page.close();
  const down = loadSettings({ BACKEND_URL: be.url, FRONTEND_SERVER_URL: page.url }, {});
  const r = await runCheck(backendHealth, down);
  assert.is(r.status, 'fail');
  assert.match(r.fix!, /docker compose up -d backend-flask-ts/);
  assert.match((await runCheck(frontendUp, down)).fix!, /docker compose up -d frontend-react-js/);
});

test('the front end is checked where the port forwards to, never at a private forwarded URL, and the browser’s URL is said per host', async () => {
  const page = await listen((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><div id="root"></div>'));
  // A Codespaces URL that nothing here could open (it needs the student's GitHub login).
  const codespaces = { CODESPACES: 'true', CODESPACE_NAME: 'cruddur-x', GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN: 'app.github.dev', FRONTEND_SERVER_URL: page.url };
  let r = await runCheck(frontendUp, loadSettings(codespaces, {}));
  assert.is(r.status, 'pass', r.detail);
  assert.match(r.detail, /serves the app; the browser opens https:\/\/cruddur-x-3000\.app\.github\.dev \(a private Codespaces port: only you, signed in to GitHub, can open it/);
  r = await runCheck(frontendUp, loadSettings({ GITPOD_ENVIRONMENT_ID: 'env-1', FRONTEND_SERVER_URL: page.url }, {}));
  // No start's verdict with the URL it opened: Ona's default dev container, whose ports the editor forwards.
  assert.match(r.detail, /serves the app; the browser opens your editor's Ports view \(port 3000\)$/);
  await page.close();
  // Another program on the port: named, not taken for the app.
  const other = await listen((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>my other project</h1>'));
  r = await runCheck(frontendUp, loadSettings({ FRONTEND_SERVER_URL: other.url }, {}));
  assert.is(r.status, 'fail');
  assert.match(r.detail, /not with the Cruddur app: another program holds port 3000/);
  await other.close();
});

test.run();
