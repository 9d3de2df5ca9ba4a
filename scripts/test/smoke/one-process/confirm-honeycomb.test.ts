// The smoke in one process (harness.ts): confirmation in Honeycomb, by smoke id (the Query Data
// API) or by the dataset's last write; keys that cannot tell; a key refused mid-run.
import * as assert from 'uvu/assert';
import { KEYS } from '../../../../testkit/honeycomb.ts';
import { canaryTrace } from '../../../lib/otlp/canary.ts';
import { HoneycombError, keyInfo } from '../../../lib/honeycomb/api.ts';
import { sendSpans } from '../../../lib/otlp/send.ts';
import { confirmHoneycomb, traceTarget } from '../../../smoke/confirm.ts';
import { NO_CLOUDS, context, section, settingsOf } from './harness.ts';

const confirmation = section('confirmation in Honeycomb');

confirmation('Honeycomb by smoke id: found, and the deadline’s words with the poll’s last error', async (c) => {
  const ctx = await context(settingsOf(c));
  const canary = canaryTrace('backend-flask', 'honeycomb');
  assert.ok((await sendSpans(canary.spans, `${c.clouds.honeycomb.url}/v1/traces`, { 'x-honeycomb-team': KEYS.enterprise })).ok);
  assert.equal(await confirmHoneycomb(ctx, canary.smokeId, undefined), { ok: true, evidence: 'found by smoke id in dataset backend-flask (Query Data API)' });
  const short = await context(settingsOf(c), 500);
  c.clouds.honeycomb.setMode('server-error');
  const late = await confirmHoneycomb(short, 'smoke-never', undefined);
  assert.match(late.error!, /^Timed out after 0\.5s waiting for: the smoke trace in Honeycomb dataset backend-flask \(last error: .+\)$/);
  assert.is(late.ok, false);
  c.clouds.honeycomb.setMode('ok');
  const limitedCtx = await context(settingsOf(c), 500);
  c.clouds.honeycomb.setMode('rate-limited');
  const limited = await confirmHoneycomb(limitedCtx, 'smoke-never', undefined);
  assert.is(limited.error, 'Timed out after 0.5s waiting for: the smoke trace in Honeycomb dataset backend-flask (last error: rate-limited by the Query Data API (10 query results a minute, shared with anything else using this key))');
});

confirmation('Honeycomb by the last write: a write after the baseline, not the baseline itself; a shared dataset says so', async (c) => {
  const ctx = await context(settingsOf(c, { HONEYCOMB_API_KEY: KEYS.config }), 400);
  c.clouds.honeycomb.addDataset(KEYS.config, 'written', '2026-12-01T00:00:01Z');
  const target = { ...traceTarget(ctx.settings), dataset: 'written' };
  assert.equal(await confirmHoneycomb(ctx, 's', '2026-12-01T00:00:00Z', target), {
    ok: true,
    evidence: 'dataset written was written after the send (last_written_at 2026-12-01T00:00:01Z); a key that may query would find the smoke trace itself',
  });
  assert.equal(await confirmHoneycomb(ctx, 's', '2026-12-01T00:00:00Z', { ...target, what: 'the smoke metric', sharedWith: 'others' }), {
    ok: true,
    evidence: 'dataset written was written after the send (last_written_at 2026-12-01T00:00:01Z), which others write too: the pipeline delivers; a key that may query would find the smoke metric itself',
  });
  assert.equal(await confirmHoneycomb(ctx, 's', '2026-12-01T00:00:01Z', target), { ok: false, error: 'Timed out after 0.4s waiting for: the smoke trace in Honeycomb dataset written' }, 'unchanged since the send');
  c.clouds.honeycomb.addDataset(KEYS.config, 'never', null);
  const unwritten = await context(settingsOf(c, { HONEYCOMB_API_KEY: KEYS.config }), 300);
  assert.is((await confirmHoneycomb(unwritten, 's', null, { ...target, dataset: 'never' })).ok, false, 'a dataset never written');
});

confirmation('Honeycomb keys that cannot tell: the ingest key, the key without the permissions, and no key', async (c) => {
  const ingest = await context(settingsOf(c, { HONEYCOMB_API_KEY: KEYS.ingest }));
  assert.equal(await confirmHoneycomb(ingest, 's', undefined), {
    ok: false,
    error: `accepted by Honeycomb, but this ${keyInfo(KEYS.ingest).label} cannot read datasets, so arrival cannot be confirmed: a configuration key for environment "bootcamp" with one of those would confirm it`,
  });
  const config = await context(settingsOf(c, { HONEYCOMB_API_KEY: KEYS.config }));
  config.preflight.honeycomb!.readable = false;
  assert.equal(await confirmHoneycomb(config, 's', undefined), {
    ok: false,
    error: 'accepted by Honeycomb, but this key has neither "Create Datasets" (to see the dataset\'s last write) nor "Manage Queries and Columns" with "Run Queries" (to find the trace), so arrival cannot be confirmed: a configuration key for environment "bootcamp" with one of those would confirm it',
  });
  const none = await context(settingsOf(c, NO_CLOUDS));
  assert.equal(await confirmHoneycomb(none, 's', undefined), { ok: false, error: 'no HONEYCOMB_API_KEY' });
  const wrong = await context(settingsOf(c, { HONEYCOMB_API_KEY: KEYS.otherEnv }));
  assert.match((await confirmHoneycomb(wrong, 's', undefined)).error!, /^the key belongs to environment "test"/, 'the preflight’s refusal');
});

confirmation('Honeycomb refusing the key mid-poll: down one level each time, to the words of a key that cannot tell', async (c) => {
  const ctx = await context(settingsOf(c, { HONEYCOMB_API_KEY: KEYS.config }), 1500);
  const h = ctx.preflight.honeycomb!;
  let calls = 0;
  h.api.datasets = async () => {
    calls++;
    throw new HoneycombError(403, { cause: 'forbidden', fix: '' } as never);
  };
  const out = await confirmHoneycomb(ctx, 's', undefined);
  assert.is(calls, 1);
  assert.is(h.readable, false);
  assert.match(out.error!, /^accepted by Honeycomb, but this key has neither/);
});

confirmation('Honeycomb by smoke id refused mid-run: confirmed by the dataset’s last write instead', async (c) => {
  const ctx = await context(settingsOf(c), 2000);
  ctx.preflight.honeycomb!.api.counts = async () => {
    throw new HoneycombError(401, { cause: 'no', fix: '' } as never);
  };
  c.clouds.honeycomb.addDataset(KEYS.enterprise, 'fallback', '2026-12-01T00:00:05Z');
  const out = await confirmHoneycomb(ctx, 's', '2026-12-01T00:00:00Z', { ...traceTarget(ctx.settings), dataset: 'fallback' });
  assert.equal(out, { ok: true, evidence: 'dataset fallback was written after the send (last_written_at 2026-12-01T00:00:05Z); a key that may query would find the smoke trace itself' });
});

confirmation.run();
