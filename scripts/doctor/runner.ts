import { untilDeadline } from '../lib/net/deadline.ts';
import type { Check, Context, Finding, Result } from './types.ts';

export const DEFAULT_TIMEOUT_MS = 10_000;

/** A check's own finding, or a failure that says it timed out or crashed (never a stack). */
async function runOne(check: Check, ctx: Context): Promise<Finding> {
  const timeoutMs = check.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  try {
    return (
      (await untilDeadline(check.run(ctx), deadline.signal)) ?? { status: 'fail', detail: `no answer within ${timeoutMs / 1000} s`, fix: 'the service it asks is hung or unreachable: run again, or check the network' }
    );
  } catch (err) {
    return { status: 'fail', detail: `the check crashed: ${(err as Error).message}`, fix: 'this is a bug in the doctor: please report it with this line' };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs every check at once, each with its own timeout, and reports each as it finishes.
 * Severity is derived: a failing optional check becomes a warning.
 */
export async function runChecks(checks: Check[], ctx: Context, onResult: (r: Result) => void = () => {}): Promise<Result[]> {
  return Promise.all(
    checks.map(async (check) => {
      const started = performance.now();
      const finding = await runOne(check, ctx);
      const status = finding.status === 'fail' && check.required === false ? 'warn' : finding.status;
      const result: Result = { id: check.id, group: check.group, title: check.title, ...finding, status, ms: Math.round(performance.now() - started) };
      onResult(result);
      return result;
    }),
  );
}
