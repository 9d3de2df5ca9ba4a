/**
 * The promise's value, or undefined once `signal` has been aborted for `graceMs`: a deadline
 * that holds whatever the work does (a hung socket, a retry loop). The doctor bounds each
 * check with it, the smoke every hop.
 */
export function untilDeadline<T>(work: Promise<T>, signal: AbortSignal, graceMs = 0): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  let start: (() => void) | undefined;
  const late = new Promise<undefined>((resolve) => {
    start = () => (timer = setTimeout(() => resolve(undefined), graceMs));
    if (signal.aborted) start();
    else signal.addEventListener('abort', start, { once: true });
  });
  return Promise.race([work, late]).finally(() => {
    clearTimeout(timer);
    signal.removeEventListener('abort', start!);
  });
}
