// The smoke in one process (harness.ts): the Query Data API poller, one loop for every waiter,
// spaced within the rate limit, its first query after the minute under way; a refused key.
import * as assert from 'uvu/assert';
import { HoneycombError } from '../../../lib/honeycomb/api.ts';
import { honeycombPoller } from '../../../smoke/confirm.ts';
import { MINUTE, context, section, settingsOf } from './harness.ts';

const confirmation = section('the Query Data API poller');

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

confirmation('the poller: a wait after the loop has ended starts it again; the deadline ends a wait mid-sleep, not the sleep’s end', async (c) => {
  const ctx = await context(settingsOf(c), 3000);
  ctx.preflight.honeycomb!.api.counts = async (_dataset, _col, ids) => new Map(ids.map((id) => [id, 1]));
  const p = honeycombPoller(ctx, MINUTE);
  assert.is(await p.wait('first', 'ds'), true);
  await new Promise((r) => setTimeout(r, MINUTE)); // the loop's last spacing (a ninth of it) is over: it has ended
  const second = await Promise.race([p.wait('second', 'ds'), new Promise((r) => setTimeout(() => r('no loop'), 1000))]);
  assert.is(second, true, 'found by a loop of its own');
  // A minute of 10 s: the first query waits for the minute under way to end, up to 10 s. The
  // deadline (300 ms) cuts that wait.
  const short = await context(settingsOf(c), 300);
  const started = performance.now();
  assert.is(await honeycombPoller(short, 10_000).wait('never', 'ds'), false);
  assert.ok(performance.now() - started < 2000, `ended ${Math.round(performance.now() - started)} ms after it began`);
});

confirmation.run();
