// Nothing lost at saturation: every span and request log a saturated backend makes reaches the
// real collector and comes out of it. The batch processor sends one batch at a time; its queue
// (sdk.ts) must take up what a collector slower than the backend leaves behind.
import { Pool } from 'undici';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startBackend } from '../../testkit/backend.ts';
import { startTracePipeline } from '../../testkit/trace-pipeline.ts';

const t = suite('export at saturation');
t('saturated by 16 connections for 3 s, the backend still delivers every span and request log through the real collector', async () => {
  const pipeline = await startTracePipeline();
  const be = await startBackend({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: pipeline.url, OTEL_BSP_SCHEDULE_DELAY: '500', OTEL_BLRP_SCHEDULE_DELAY: '500', OTEL_METRICS_EXPORTER: 'none' } });
  let requests = 0;
  try {
    const pool = new Pool(be.url, { connections: 16 });
    const until = performance.now() + 3000;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (performance.now() < until) {
          const { statusCode, body } = await pool.request({ path: '/api/activities/home', method: 'GET' });
          await body.dump();
          assert.is(statusCode, 200);
          requests++;
        }
      }),
    );
    await pool.close();
  } finally {
    await be.stop(); // SIGTERM: the batch processors flush what they hold through the thread
  }
  try {
    assert.ok(requests > 1000, `only ${requests} requests in 3 s`);
    // Counted until all have come or none has come for 5 s.
    const count = () => ({
      server: pipeline.spans.filter((s) => s.kind === 2 && s.attributes['url.path'] === '/api/activities/home').length,
      inner: pipeline.spans.filter((s) => s.name === 'home-activities-mock-data').length,
      logs: pipeline.logs.filter((l) => l.body === 'request').length,
    });
    let last = '';
    for (let quiet = Date.now(); Date.now() - quiet < 5000; await new Promise((r) => setTimeout(r, 250))) {
      const now = JSON.stringify(count());
      if (now !== last) [last, quiet] = [now, Date.now()];
      if (now === JSON.stringify({ server: requests, inner: requests, logs: requests })) break;
    }
    assert.equal(count(), { server: requests, inner: requests, logs: requests }, `of ${requests} requests`);
    assert.is(new Set(pipeline.spans.map((s) => s.spanId)).size, pipeline.spans.length, 'each span once');
  } finally {
    await pipeline.close();
  }
});

t.run();
