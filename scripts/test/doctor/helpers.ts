import type { Settings } from '../../lib/workspace/settings.ts';
import { runChecks } from '../../doctor/runner.ts';
import { createShared, type SharedOptions } from '../../doctor/shared.ts';
import type { Check, Result } from '../../doctor/types.ts';

/** Runs one check through the real runner (timeouts, crash handling, derived severity). */
export async function runCheck(check: Check, settings: Settings, shared: SharedOptions = {}): Promise<Result> {
  const [result] = await runChecks([check], { settings, shared: createShared(settings, shared) });
  return result!;
}
