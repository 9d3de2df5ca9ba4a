import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runChecks } from '../../doctor/runner.ts';
import { createShared } from '../../doctor/shared.ts';
import type { Check, Finding } from '../../doctor/types.ts';
import { loadSettings } from '../../lib/workspace/settings.ts';

const settings = loadSettings({}, {});
const ctx = { settings, shared: createShared(settings) };
const after = (ms: number, finding: Finding): Check['run'] => () => new Promise((r) => setTimeout(() => r(finding), ms));
const check = (id: string, run: Check['run'], extra: Partial<Check> = {}): Check => ({ id, group: 'stack', title: id, run, ...extra });

test('checks run at once: the wall time is the slowest check’s, not the sum', async () => {
  const started = performance.now();
  const results = await runChecks(
    [200, 200, 200, 200].map((ms, i) => check(`c${i}`, after(ms, { status: 'pass', detail: 'ok' }))),
    ctx,
  );
  const wall = performance.now() - started;
  assert.is(results.length, 4);
  assert.ok(wall < 400, `took ${wall.toFixed(0)} ms`);
});

test('each result is reported as it finishes, fastest first', async () => {
  const order: string[] = [];
  await runChecks([check('slow', after(150, { status: 'pass', detail: '' })), check('fast', after(10, { status: 'pass', detail: '' }))], ctx, (r) => order.push(r.id));
  assert.equal(order, ['fast', 'slow']);
});

test('a check that hangs fails at its own timeout; the others are unaffected', async () => {
  const results = await runChecks([check('hung', () => new Promise(() => {}), { timeoutMs: 100 }), check('fine', after(10, { status: 'pass', detail: 'ok' }))], ctx);
  assert.is(results[0]!.status, 'fail');
  assert.is(results[0]!.detail, 'no answer within 0.1 s');
  assert.is(results[0]!.fix, 'the service it asks is hung or unreachable: run again, or check the network');
  assert.ok(results[0]!.ms >= 95 && results[0]!.ms < 1000, `timed at ${results[0]!.ms} ms`);
  assert.is(results[1]!.status, 'pass');
});

test('a check that throws becomes a failed result with one line, no stack', async () => {
  const [r] = await runChecks([check('boom', async () => { throw new TypeError('cannot read x of undefined'); })], ctx);
  assert.is(r!.status, 'fail');
  assert.is(r!.detail, 'the check crashed: cannot read x of undefined');
  assert.not.match(r!.detail, /\n|at /);
  assert.is(r!.fix, 'this is a bug in the doctor: please report it with this line');
});

test('a failing optional check is a warning; severity is not declared twice', async () => {
  const [r] = await runChecks([check('opt', after(0, { status: 'fail', detail: 'x', fix: 'y' }), { required: false })], ctx);
  assert.equal([r!.status, r!.detail, r!.fix, r!.title, r!.group], ['warn', 'x', 'y', 'opt', 'stack']);
  const [required] = await runChecks([check('req', after(0, { status: 'fail', detail: 'x', fix: 'y' }))], ctx);
  assert.is(required!.status, 'fail', 'required unless it says otherwise');
  const [optionalPass] = await runChecks([check('ok', after(0, { status: 'skip', detail: 's' }), { required: false })], ctx);
  assert.is(optionalPass!.status, 'skip', 'only a failure is softened');
});

test.run();
