// npm run synthetic's kept runs: read back, trimmed when they grow, and the trend against them.
import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { keepRun, readRuns, trend, type SyntheticRun } from '../../../lib/browser/synthetic-runs.ts';

const run = (over: Partial<SyntheticRun> = {}): SyntheticRun => ({
  at: '2026-12-07T10:00:00.000Z',
  session: 'synthetic-a',
  origin: 'http://localhost:3000',
  ok: true,
  feedMs: 400,
  loadMs: 300,
  lcpMs: 500,
  journeyMs: 4000,
  steps: [{ name: 'home feed', ms: 400 }],
  spans: { posted: 5, taken: 5 },
  ...over,
});

test('the trend: against the median of the last runs from the same front end that completed', () => {
  const earlier = [run({ feedMs: 100 }), run({ feedMs: 200 }), run({ feedMs: 300 }), run({ feedMs: 9000, ok: false }), run({ feedMs: 1, origin: 'http://127.0.0.1:5173' })];
  const t = trend(run({ feedMs: 300, loadMs: 300, lcpMs: 250, journeyMs: undefined }), earlier);
  assert.is(t.runs, 3, 'the failed run and the other front end’s are not among them');
  // median 200 → 300 is +50 %; load unchanged; LCP 500 → 250 is −50 %; no journey measured now: none.
  assert.equal(t.change, { feedMs: 50, loadMs: 0, lcpMs: -50 });
  assert.equal(trend(run(), []).change, {}, 'nothing earlier: no trend');
  // An even count takes the middle two's mean; only the last n count.
  assert.equal(trend(run({ feedMs: 250 }), [run({ feedMs: 9999 }), run({ feedMs: 100 }), run({ feedMs: 400 })], 2).change.feedMs, 0);
});

test('kept one line a run; a line that is not a run is passed over; past 1 MB the newest 500 stay', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'cruddur-synthetic-')), 'nested', 'runs.jsonl');
  assert.equal(readRuns(file), [], 'no file yet: no runs');
  keepRun(run({ session: 'first' }), file);
  appendFileSync(file, '{"cut short\nnot json at all\n{"at":1}\n');
  keepRun(run({ session: 'second' }), file);
  assert.equal(readRuns(file).map((r) => r.session), ['first', 'second']);
  // Grow it past 1 MB: the oldest go, the newest (the one just kept among them) stay.
  const filler = run({ problem: 'x'.repeat(1500) });
  writeFileSync(file, `${JSON.stringify(filler)}\n`.repeat(700));
  keepRun(run({ session: 'newest' }), file);
  const kept = readRuns(file);
  assert.is(kept.length, 500);
  assert.is(kept.at(-1)!.session, 'newest');
  assert.ok(statSync(file).size < 1_000_000);
  assert.ok(readFileSync(file, 'utf8').endsWith('\n'));
});

test.run();
