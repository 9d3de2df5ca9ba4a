// The Honeycomb fake's Query Data API keeps the documented limits: 10 query results a minute
// (docs.honeycomb.io/api/rate-limit, 429 as an RFC 7807 problem), results that complete
// asynchronously, and time ranges truncated to the minute (docs.honeycomb.io/api/tag/Query-Data).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sendSpans } from '../scripts/lib/otlp/send.ts';
import { canaryTrace } from '../scripts/lib/otlp/canary.ts';
import { KEYS, QUERY_RESULTS_PER_MINUTE, startHoneycombFake } from '../testkit/honeycomb.ts';
import { BOOTCAMP, TEAM } from '../testkit/clouds.ts';

const t = suite('the Honeycomb fake’s Query Data API');
const MINUTE = 1500;

async function fake() {
  return startHoneycombFake({ minuteMs: MINUTE, keys: { [KEYS.enterprise]: { team: TEAM, environment: BOOTCAMP, type: 'configuration', enterprise: true } } });
}

const call = (url: string, path: string, body?: unknown) =>
  fetch(url + path, { method: body ? 'POST' : 'GET', headers: { 'x-honeycomb-team': KEYS.enterprise, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });

t('an 11th query result within a minute is refused with a 429 problem detail and no Retry-After', async () => {
  const hc = await fake();
  try {
    // A new environment has no dataset to query: the spans make it.
    assert.ok((await sendSpans(canaryTrace('backend-flask', 'fake').spans, `${hc.url}/v1/traces`, { 'x-honeycomb-team': KEYS.enterprise })).ok);
    const q = (await (await call(hc.url, '/1/queries/backend-flask', { calculations: [{ op: 'COUNT' }], time_range: 60 })).json()) as { id: string };
    for (let i = 0; i < QUERY_RESULTS_PER_MINUTE; i++) assert.is((await call(hc.url, '/1/query_results/backend-flask', { query_id: q.id })).status, 201);
    const refused = await call(hc.url, '/1/query_results/backend-flask', { query_id: q.id });
    assert.is(refused.status, 429);
    assert.is(refused.headers.get('retry-after'), null);
    assert.equal(await refused.json(), { status: 429, type: 'https://api.honeycomb.io/problems/rate-limited', title: 'You have exceeded your rate limit.', error: 'You have exceeded your rate limit.' });
    await new Promise((r) => setTimeout(r, MINUTE));
    assert.is((await call(hc.url, '/1/query_results/backend-flask', { query_id: q.id })).status, 201, 'a minute later it is accepted again');
  } finally {
    await hc.close();
  }
});

t('a result completes later, and counts a span only once the minute it arrived in has ended', async () => {
  const hc = await fake();
  try {
    // Just after a minute starts, so the span lands well inside it.
    await new Promise((r) => setTimeout(r, MINUTE - (Date.now() % MINUTE) + 50));
    const canary = canaryTrace('backend-flask', 'fake');
    assert.ok((await sendSpans(canary.spans, `${hc.url}/v1/traces`, { 'x-honeycomb-team': KEYS.enterprise })).ok);
    const q = (await (await call(hc.url, '/1/queries/backend-flask', { calculations: [{ op: 'COUNT' }], filters: [{ column: 'app.smoke_id', op: 'in', value: [canary.smokeId] }], breakdowns: ['app.smoke_id'], time_range: 60 })).json()) as { id: string };
    const count = async () => {
      const created = (await (await call(hc.url, '/1/query_results/backend-flask', { query_id: q.id })).json()) as { id: string; complete: boolean };
      assert.is(created.complete, false, 'query results run asynchronously');
      for (;;) {
        const r = (await (await call(hc.url, `/1/query_results/backend-flask/${created.id}`)).json()) as { complete: boolean; data?: { results: { data: Record<string, unknown> }[] } };
        if (r.complete) return r.data!.results.find((row) => row.data['app.smoke_id'] === canary.smokeId)?.data.COUNT ?? 0;
        await new Promise((res) => setTimeout(res, 20));
      }
    };
    assert.is(await count(), 0, 'not within the minute under way');
    await new Promise((r) => setTimeout(r, MINUTE - (Date.now() % MINUTE) + 20));
    assert.is(await count(), 3, 'the three canary spans, once that minute has ended');
  } finally {
    await hc.close();
  }
});

t.run();
