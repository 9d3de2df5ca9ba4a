// The smoke in one process (harness.ts): confirmation at each destination (Honeycomb by smoke id or
// by the dataset's last write, X-Ray by annotation under the group's filter, CloudWatch Logs), and
// each deadline's words. Most of these wait on deadlines: the slowest part.
import * as assert from 'uvu/assert';
import { KEYS } from '../../../../testkit/honeycomb.ts';
import { canaryTrace } from '../../../lib/otlp/canary.ts';
import { writeTestEvent } from '../../../lib/aws/cloudwatch-logs.ts';
import { HoneycombError, keyInfo } from '../../../lib/honeycomb/api.ts';
import { sendSpans } from '../../../lib/otlp/send.ts';
import type { Settings } from '../../../lib/workspace/settings.ts';
import { confirmCloudWatchLogs, confirmHoneycomb, confirmXray, honeycombPoller, traceTarget } from '../../../smoke/confirm.ts';
import { xrayHop } from '../../../smoke/hops/xray.ts';

import { MINUTE, NO_CLOUDS, context, section, settingsOf } from './harness.ts';

const confirmation = section('confirmation at each destination');

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

confirmation('the Query Data API poller: a refused key is "unavailable" to every waiter; the deadline is false', async (c) => {
  const ctx = await context(settingsOf(c), 3000);
  ctx.preflight.honeycomb!.api.counts = async () => {
    throw new HoneycombError(401, { cause: 'unknown key', fix: '' } as never);
  };
  const poller = honeycombPoller(ctx, MINUTE);
  assert.equal(await Promise.all([poller.wait('a', 'd1'), poller.wait('b', 'd2')]), ['unavailable', 'unavailable']);
  assert.is(ctx.preflight.honeycomb!.queryable, false);
  const late = await context(settingsOf(c), 400);
  late.preflight.honeycomb!.api.counts = async () => {
    throw new Error('socket hang up');
  };
  const slow = honeycombPoller(late, MINUTE);
  assert.is(await slow.wait('c', 'd1'), false);
  assert.is(slow.lastError(), 'socket hang up');
  const found = await context(settingsOf(c), 600);
  const asked: string[][] = [];
  found.preflight.honeycomb!.api.counts = async (dataset, _col, ids) => (asked.push([dataset, ...ids]), new Map(ids.map((id) => [id, id === 'x' ? 1 : 0])));
  const p = honeycombPoller(found, MINUTE);
  const [x, y] = [p.wait('x', 'ds'), p.wait('y', 'ds')];
  assert.is(await x, true);
  assert.equal(asked[0], ['ds', 'x', 'y'], 'one query for both ids of a dataset');
  assert.is(await y, false, 'never counted: false at the deadline');
});

confirmation('X-Ray: found by the annotation; stored but hidden by the filter; stored and selected but not indexed; a filter beyond the smoke', async (c) => {
  const send = async (settings: Settings, timeoutMs = 500) => {
    const ctx = await context(settings, timeoutMs);
    const r = await xrayHop.send(ctx);
    assert.is(r.error, undefined);
    return { ctx, r, out: await confirmXray(ctx, r.smokeId, r.traceId, r.sentAt) };
  };
  const found = await send(settingsOf(c), 3000);
  assert.equal(found.out, { ok: true, evidence: 'found by annotation app_smoke_id under group Cruddur\'s filter' });
  c.clouds.xray.addGroup('Other', 'service("somewhere-else")');
  const hidden = await send(settingsOf(c, { XRAY_GROUP: 'Other' }));
  assert.is(hidden.out.error, 'the trace reached X-Ray as service "backend-flask", which group Other\'s filter service("somewhere-else") does not select: set the filter to service("backend-flask") (npm run xray:setup)');
  c.clouds.xray.setIndexingDelay(60_000);
  const late = await send(settingsOf(c));
  assert.is(late.out.error, 'the trace reached X-Ray and group Cruddur\'s filter service("backend-flask") selects it, but X-Ray had not indexed it within 0.5s: indexing can take a minute or more; run the smoke again with a longer --timeout (e.g. --timeout 180)');
  // With CloudWatch Transaction Search on, a longer wait is the wrong advice: most traces are never indexed.
  c.clouds.xray.setIndexingDelay(0);
  c.clouds.xray.setTransactionSearch(0);
  try {
    const unindexed = await send(settingsOf(c));
    assert.is(unindexed.out.error, 'the trace reached X-Ray and group Cruddur\'s filter service("backend-flask") selects it, but CloudWatch Transaction Search is on and X-Ray indexes only 0 % of spans as trace summaries, so a longer wait may never find it: raise the share while you learn (aws xray update-indexing-rule --name Default --rule \'{"Probabilistic":{"DesiredSamplingPercentage":100}}\', billed per span), or find the trace in CloudWatch > Application Signals > Transaction Search');
    c.clouds.xray.setTransactionSearch(100);
    assert.equal((await send(settingsOf(c), 3000)).out, { ok: true, evidence: 'found by annotation app_smoke_id under group Cruddur\'s filter' }, 'at 100 % every trace is indexed');
  } finally {
    c.clouds.xray.setTransactionSearch(undefined);
    c.clouds.xray.setIndexingDelay(60_000);
  }
  c.clouds.xray.addGroup('Odd', 'responsetime > 5');
  const odd = await send(settingsOf(c, { XRAY_GROUP: 'Odd' }));
  assert.is(odd.out.error, 'the trace reached X-Ray but was not found under group Odd within 0.5s; its filter responsetime > 5 is more than the smoke can evaluate, so X-Ray may still be indexing it or the filter may not select service "backend-flask": run the smoke again with a longer --timeout, and if it still fails, set the filter to service("backend-flask") (npm run xray:setup)');
  const ctx = await context(settingsOf(c), 500);
  assert.is((await confirmXray(ctx, 'smoke-nothing', 'b'.repeat(32), Date.now())).error, `Timed out after 0.5s waiting for: trace 1-bbbbbbbb-${'b'.repeat(24)} in X-Ray group Cruddur`, 'nothing stored');
  c.clouds.xray.deny('GetTraceSummaries');
  const denied = await confirmXray(await context(settingsOf(c), 500), 'smoke-nothing', 'b'.repeat(32), Date.now());
  assert.match(denied.error!, /^Timed out after 0\.5s waiting for: trace 1-b{8}-b{24} in X-Ray group Cruddur \(last error: .*GetTraceSummaries.*\)$/);
  assert.equal(await confirmXray(await context(settingsOf(c, NO_CLOUDS), 300), 's', 'b'.repeat(32), Date.now()), { ok: false, error: 'no AWS credentials' });
});

confirmation('CloudWatch Logs: found by smoke id in the workspace’s stream; a group not there yet; the deadline', async (c) => {
  c.clouds.logs.addGroup('units-group');
  const s = settingsOf(c, { CLOUDWATCH_LOGS: 'true', CLOUDWATCH_LOG_GROUP: 'units-group', CLOUDWATCH_LOG_STREAM: 'npm-run-doctor' });
  const since = Date.now();
  await writeTestEvent(s, 'smoke smoke-logs-unit-1 arrived');
  const ctx = await context(s, 3000);
  assert.equal(await confirmCloudWatchLogs(ctx, 'smoke-logs-unit-1', since), { ok: true, evidence: 'found by smoke id in CloudWatch Logs group units-group, stream npm-run-doctor' });
  assert.is((await confirmCloudWatchLogs(await context(s, 400), 'smoke-logs-unit-2', since)).error, 'Timed out after 0.4s waiting for: the smoke log record in CloudWatch Logs group units-group, stream npm-run-doctor');
  const missing = settingsOf(c, { CLOUDWATCH_LOGS: 'true', CLOUDWATCH_LOG_GROUP: 'not-yet' });
  assert.is(
    (await confirmCloudWatchLogs(await context(missing, 400), 'smoke-x', since)).error,
    'Timed out after 0.4s waiting for: the smoke log record in CloudWatch Logs group not-yet, stream cruddur-workspace (last error: group not-yet or its stream cruddur-workspace does not exist yet)',
  );
  c.clouds.logs.deny('FilterLogEvents');
  assert.match((await confirmCloudWatchLogs(await context(s, 400), 'smoke-x', since)).error!, /^Timed out after 0\.4s waiting for: the smoke log record in CloudWatch Logs group units-group, stream npm-run-doctor \(last error: .*FilterLogEvents.*\)$/);
  c.clouds.logs.allowAll();
});

confirmation('the poller: its first query after the minute under way ends, one loop, queries spaced within the rate limit', async (c) => {
  const minute = 900; // long enough that a spacing of a ninth is told from a tenth or an eleventh
  const ctx = await context(settingsOf(c), 3 * minute);
  const calls: { at: number; dataset: string; seconds: number }[] = [];
  let inFlight = 0;
  let most = 0;
  ctx.preflight.honeycomb!.api.counts = async (dataset, _column, ids, seconds) => {
    calls.push({ at: Date.now(), dataset, seconds });
    most = Math.max(most, ++inFlight);
    await new Promise((r) => setTimeout(r, 5));
    inFlight--;
    return new Map(ids.map((id) => [id, calls.length >= 3 ? 1 : 0]));
  };
  const asked = Date.now();
  const poller = honeycombPoller(ctx, minute);
  const [a, b] = [poller.wait('a', 'd1'), poller.wait('b', 'd2')];
  assert.equal(await Promise.all([a, b]), [true, true]);
  const boundary = Math.ceil(asked / minute) * minute;
  assert.ok(calls[0]!.at >= boundary, `the first query waits for the minute under way to end: ${calls[0]!.at - boundary} ms`);
  assert.ok(calls[0]!.at < boundary + minute / 2, 'and not much longer');
  assert.is(most, 1, 'one loop: one query at a time');
  assert.equal(calls.slice(0, 2).map((x) => x.dataset), ['d1', 'd2'], 'a query per dataset');
  const gap = calls[1]!.at - calls[0]!.at;
  assert.ok(gap >= minute / 9 && gap < minute / 9 + 60, `spaced a ninth of a minute: ${gap} ms`);
  assert.ok(calls.every((x) => x.seconds >= 300 && x.seconds < 310), 'the query range: since the smoke began, and five minutes before');
  // A key refused with 403 (no "Run Queries") is unavailable too.
  const refused = await context(settingsOf(c), 2000);
  refused.preflight.honeycomb!.api.counts = async () => {
    throw new HoneycombError(403, { cause: 'forbidden', fix: '' } as never);
  };
  assert.is(await honeycombPoller(refused, MINUTE).wait('z', 'd'), 'unavailable');
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
