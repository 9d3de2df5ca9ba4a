// The workspace start in one process (harness.ts): the stack down. Last in npm run mutate's order:
// the start's canary waits while the OTLP exporter retries a refused connection, to its 5 s limit.
import * as assert from 'uvu/assert';
import { closedPort } from '../../../../testkit/http.ts';
import { start, section } from './harness.ts';

const down = section('the stack down');
down('nothing answers at the front end’s address: both browser hops say so, and which command names the service that is down', async (ctx) => {
  const gone = `http://127.0.0.1:${await closedPort()}`;
  // The whole stack down: the collector's metrics with it.
  const r = await start(ctx, { FRONTEND_SERVER_URL: gone, OTEL_COLLECTOR_METRICS_URL: `${gone}/metrics` });
  assert.is(r.code, 1);
  assert.equal(r.verdict!.lines[0], { ok: false, text: `browser origin → backend: nothing answered at ${gone} (fetch failed): docker compose ps says which service is down` });
  assert.match(r.verdict!.lines[1]!.text, new RegExp(`^browser origin → collector: ${gone}/v1/traces refused it \\(.+\\): docker compose logs otel-collector$`));
  assert.equal(r.verdict!.lines[2], { ok: false, text: `backend → collector: the collector's metrics (${gone}/metrics) did not answer (fetch failed): docker compose logs otel-collector` });
});

down.run();
