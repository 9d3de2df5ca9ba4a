import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { collectorCors, frontendApiProxy, frontendOtlpProxy } from '../../../doctor/checks/stack.ts';
import { loadSettings } from '../../../lib/workspace/settings.ts';
import { startBackend } from '../../../../testkit/backend.ts';
import { startCollector } from '../../../../testkit/collector.ts';
import { startDevServer } from '../../../../testkit/frontend.ts';
import { closedPort, listen } from '../../../../testkit/http.ts';
import { runCheck } from '../helpers.ts';

test('the browser’s path passes through the real Vite dev server, and names the hop behind it that is down', async () => {
  const backend = await startBackend({ traced: false });
  const collector = await startCollector();
  const dev = await startDevServer({ API_PROXY_TARGET: backend.url, OTEL_PROXY_TARGET: collector.url });
  try {
    const settings = loadSettings({ FRONTEND_SERVER_URL: dev.url }, {});
    let api = await runCheck(frontendApiProxy, settings);
    assert.is(api.status, 'pass', api.detail);
    assert.match(api.detail, /through the front end's proxy/);
    const otlp = await runCheck(frontendOtlpProxy, settings);
    assert.is(otlp.status, 'pass', otlp.detail);
    assert.is(collector.requests.length, 1, 'the empty export reached the collector');

    await backend.stop();
    api = await runCheck(frontendApiProxy, settings);
    assert.is(api.status, 'fail');
    assert.match(api.detail, /the front end is up, but its proxy cannot reach the backend/);
    assert.match(api.fix!, /docker compose up -d backend-flask-ts/);
  } finally {
    await dev.stop();
    await collector.close();
    await backend.stop();
  }
});

test('a front end that serves its page for /api has no proxy, and the fix says where it is configured', async () => {
  const page = await listen((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><div id="root"></div>'));
  try {
    const r = await runCheck(frontendApiProxy, loadSettings({ FRONTEND_SERVER_URL: page.url }, {}));
    assert.is(r.status, 'fail');
    assert.match(r.detail, /answered with the app's page, not the backend/);
    assert.match(r.fix!, /vite\.config\.ts \(server\.proxy\) and nginx\.conf/);
  } finally {
    await page.close();
  }
});

test('a stopped front end is named with the command that starts it', async () => {
  const r = await runCheck(frontendOtlpProxy, loadSettings({ FRONTEND_SERVER_URL: `http://127.0.0.1:${await closedPort()}` }, {}));
  assert.is(r.status, 'fail');
  assert.match(r.fix!, /docker compose up -d frontend-react-js/);
});

test('collector CORS is skipped with one origin and checked in split mode', async () => {
  const r = await runCheck(collectorCors, loadSettings({}, {}));
  assert.is(r.status, 'skip');
  assert.match(r.detail, /one origin/);
});

test.run();
