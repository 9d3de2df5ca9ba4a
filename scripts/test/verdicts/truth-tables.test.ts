// Truth tables at the edges of verdicts students read, each row the nearest input on one side of
// an edge and the words it must give: X-Ray group filters with NOT, AND, OR and parentheses in
// the doctor's aws.xray-group and in the smoke's query; the workspace start's canary count.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { xrayGroup } from '../../doctor/checks/xray-group.ts';
import { decodeTraces } from '../../lib/otlp/decode.ts';
import { readBody } from '../../lib/net/http-server.ts';
import { loadSettings } from '../../lib/workspace/settings.ts';
import { confirmXray, type ConfirmContext } from '../../smoke/confirm.ts';
import { xrayHop } from '../../smoke/hops/xray.ts';
import { preflight } from '../../smoke/preflight.ts';
import { localProof } from '../../workspace-start.ts';
import { listen } from '../../../testkit/http.ts';
import { runCheck } from '../doctor/helpers.ts';
import { startClouds, type Clouds } from '../world.ts';

const xray = suite<{ clouds: Clouds }>('X-Ray group filters: NOT, AND, OR and parentheses, in the doctor and the smoke');
xray.before(async (ctx) => {
  ctx.clouds = await startClouds();
});
xray.after(({ clouds }) => clouds.close());

// [filter, the doctor's status]: the backend's service is backend-flask.
const FILTERS: [string, 'pass' | 'fail' | 'warn'][] = [
  ['service("backend-flask")', 'pass'],
  ['NOT service("backend-flask")', 'fail'],
  ['NOT service("other")', 'pass'],
  ['NOT NOT service("backend-flask")', 'pass'],
  ['service("other") OR service("backend-flask")', 'pass'],
  ['service("other") AND service("backend-flask")', 'fail'],
  ['NOT (service("other") OR service("backend-flask"))', 'fail'],
  ['NOT service("other") AND service("backend-flask")', 'pass'],
  // AND binds tighter than OR: backend-flask OR (b AND c) selects; read left to right it would not.
  ['service("backend-flask") OR service("b") AND service("c")', 'pass'],
  ['(service("backend-flask") OR service("b")) AND service("c")', 'fail'],
  ['service("backend-flask") and not service("other")', 'pass'],
  ['responsetime > 5', 'warn'],
];

for (const [filter, status] of FILTERS) {
  xray(`aws.xray-group with the filter ${filter}: ${status}`, async ({ clouds }) => {
    clouds.xray.addGroup('Cruddur', filter);
    const r = await runCheck(xrayGroup, clouds.settings());
    assert.is(r.status, status, r.detail);
    if (status === 'pass') assert.is(r.detail, `group "Cruddur" in us-east-1, filter ${filter}`);
    if (status === 'fail') assert.is(r.detail, `group "Cruddur"'s filter ${filter} does not select service "backend-flask".`);
    if (status === 'warn') assert.match(r.detail, /which this check cannot evaluate/);
  });
}

xray('the smoke’s query keeps the group’s filter in parentheses: under "A OR B", an older trace of A never confirms a trace that was not sent', async ({ clouds }) => {
  clouds.xray.addGroup('Cruddur', 'service("backend-flask") OR service("other")');
  const settings = clouds.settings();
  const context = async (): Promise<ConfirmContext> => {
    const signal = AbortSignal.timeout(1500);
    return { settings, preflight: await preflight(settings, signal), signal, pollMs: 20, startedMs: performance.now(), timeoutMs: 1500 };
  };
  // An earlier smoke's trace of backend-flask, with its own smoke id, in the group.
  const older = await context();
  const sent = await xrayHop.send(older);
  assert.is(sent.error, undefined);
  assert.is((await confirmXray(older, sent.smokeId, sent.traceId, sent.sentAt)).ok, true, 'the older trace itself is found');
  const never = await confirmXray(await context(), 'smoke-xray-never-sent', 'c'.repeat(32), Date.now());
  assert.is(never.ok, false, 'the smoke id of a trace that was never sent is not "found"');
  assert.match(never.error!, /^Timed out after 1.5s waiting for: trace 1-cccccccc-c{24} in X-Ray group Cruddur$/);
});

xray.run();

const canary = suite('the workspace start’s canary: the backend’s own spans counted, not the canary’s');

/**
 * The page's origin and the collector's metrics, stood in: /v1/traces counts what it takes as the
 * collector's receiver does (otelcol_receiver_accepted_spans), and each /api request adds the
 * backend's own `backendSpans` spans, as a backend exporting to the collector would.
 */
async function stack(backendSpans: number) {
  let accepted = 100;
  const server = await listen(async (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    if (url.startsWith('/api/')) {
      accepted += backendSpans;
      return res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    }
    if (url === '/v1/traces') {
      accepted += decodeTraces(await readBody(req), String(req.headers['content-type'])).length;
      return res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    }
    if (url === '/metrics') return res.writeHead(200, { 'content-type': 'text/plain' }).end(`otelcol_receiver_accepted_spans{receiver="otlp",transport="http"} ${accepted}\n`);
    res.writeHead(404).end();
  });
  return { server, settings: loadSettings({ HOME: '/nonexistent', FRONTEND_SERVER_URL: server.url, OTEL_COLLECTOR_METRICS_URL: `${server.url}/metrics` }, {}) };
}

canary('the backend exports nothing: the canary’s own spans alone do not count as the backend’s; one span more does', async () => {
  const quiet = await stack(0);
  try {
    const lines = await localProof(quiet.settings);
    assert.equal(lines.map((l) => l.ok), [true, true, false]);
    assert.is(lines[2]!.text, 'backend → collector: no span from the backend reached the collector in 10 s: docker compose logs backend-flask-ts');
  } finally {
    await quiet.server.close();
  }
  const one = await stack(1);
  try {
    const lines = await localProof(one.settings);
    assert.equal(lines.map((l) => l.ok), [true, true, true]);
    assert.match(lines[2]!.text, /^backend → collector: the collector accepted \d+ spans, the backend's among them$/);
  } finally {
    await one.server.close();
  }
});

canary.run();
