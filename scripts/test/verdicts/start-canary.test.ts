// The workspace start's canary at its edge: the backend's own spans counted, never the canary's.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeTraces } from '../../lib/otlp/decode.ts';
import { readBody } from '../../lib/net/http-server.ts';
import { loadSettings } from '../../lib/workspace/settings.ts';
import { localProof } from '../../workspace-start.ts';
import { listen } from '../../../testkit/http.ts';

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
