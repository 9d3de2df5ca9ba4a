// The local default's browser half: with no account, the journey walks the running stack's
// front end, and what the stack's collector kept in the workspace (.cruddur/telemetry, with
// CRUDDUR_LOCAL_FILES=on) shows whether the page's spans arrived, joined to the backend's.
// Without a browser, a running front end or the local files, it says which and runs nothing.
import { readFileSync, statSync } from 'node:fs';
import { findChromium, GET_CHROMIUM, launchChromium } from '../lib/browser/chromium.ts';
import { frontEndProblem, journeyFailure, journeySummary, taggedUrl, walkJourney } from '../lib/browser/journey.ts';
import { LOCAL_TELEMETRY, telemetryFiles } from '../lib/local/store.ts';
import { newSmokeId } from '../lib/otlp/canary.ts';
import { decodeTraces, type ReceivedSpan } from '../lib/otlp/decode.ts';
import type { Settings } from '../lib/workspace/settings.ts';
import type { Term } from '../lib/terminal/term.ts';
import type { Check } from './local.ts';
import type { HopResult } from './result.ts';
import { waterfall } from './waterfall.ts';

/** Why the journey cannot run here, in one line; undefined when it can. */
export async function cannotWalk(settings: Settings, dir = LOCAL_TELEMETRY): Promise<string | undefined> {
  const browser = findChromium(settings.env);
  if ('why' in browser) return `no browser here (${browser.why}): ${GET_CHROMIUM}`;
  const front = await frontEndProblem(settings.frontendServerUrl.value);
  if (front) return front;
  if (settings.env.CRUDDUR_LOCAL_FILES !== 'on' && !telemetryFiles(dir).length) {
    return `the collector keeps nothing in ${dir} (CRUDDUR_LOCAL_FILES is not on; npm run up saves it), so the journey's spans could not be looked at`;
  }
  return undefined;
}

/** The journey's spans among the collector's files: every line that names its smoke id, of the files written since it began. */
export function journeySpans(smokeId: string, since: number, dir = LOCAL_TELEMETRY): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const f of telemetryFiles(dir).filter((x) => x.signal === 'traces' && statSync(x.path).mtimeMs >= since - 60_000)) {
    for (const line of readFileSync(f.path, 'utf8').split('\n')) {
      if (!line.includes(smokeId)) continue;
      try {
        spans.push(...decodeTraces(Buffer.from(line), 'application/json'));
      } catch {
        // a line cut mid-write: the next read has it whole
      }
    }
  }
  return spans.filter((s) => s.resource['app.smoke_id'] === smokeId || s.attributes['app.smoke_id'] === smokeId);
}

/** What a working browser hop must show in the collector's files. */
export function judgeJourney(spans: ReceivedSpan[], settings: Settings): { checks: Check[]; trace?: ReceivedSpan[] } {
  const page = spans.filter((s) => s.resource['service.name'] === settings.frontendServiceName.value);
  const backend = spans.filter((s) => s.resource['service.name'] === settings.serviceName.value);
  const byId = new Map(page.map((s) => [s.spanId, s]));
  const joined = backend.find((s) => s.kind === 2 && byId.get(s.parentSpanId)?.traceId === s.traceId);
  // The trace to draw: the journey's crud, from its click to the backend, when it is there.
  const post = backend.find((s) => s.kind === 2 && s.attributes['http.route'] === '/api/activities' && byId.has(s.parentSpanId)) ?? joined;
  const trace = post ? spans.filter((s) => s.traceId === post.traceId) : undefined;
  return {
    checks: [
      { ok: page.length > 0, what: `the page’s spans reached the collector (${page.length} in its files, service ${settings.frontendServiceName.value})` },
      { ok: backend.length > 0, what: `the backend’s spans carry the page’s smoke id (sent as baggage): ${backend.length}` },
      { ok: Boolean(joined), what: 'one trace from the page to the backend: a backend span is the child of the page’s fetch' },
    ],
    trace,
  };
}

/**
 * Walks the journey against the running stack and judges it from the collector's files; the
 * hop's result, or why it could not run (said, not failed: the local default needs no stack).
 */
export async function runLocalJourney(settings: Settings, term: Term, timeoutMs: number, dir = LOCAL_TELEMETRY): Promise<HopResult | { skipped: string }> {
  const c = term.color;
  const why = await cannotWalk(settings, dir);
  if (why) return { skipped: why };
  const started = Date.now();
  const smokeId = newSmokeId('browser');
  term.progress(`${c.dim('…')} walking the journey in a browser at ${settings.frontendServerUrl.value}`);
  const browser = await launchChromium(settings.env);
  let report;
  try {
    report = await walkJourney(browser, taggedUrl(settings.frontendServerUrl.value, { smokeId }));
  } finally {
    await browser.close();
  }
  const base = { hop: 'browser', smokeId, links: {}, journey: journeySummary(report) };
  const failure = journeyFailure(report, settings);
  if (failure) return { ...base, sent: false, confirmed: false, ms: Date.now() - started, error: failure };
  // The collector writes its files every second (flush_interval): wait for the journey to be in them, joined.
  let judged = judgeJourney([], settings);
  for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((r) => setTimeout(r, 500))) {
    judged = judgeJourney(journeySpans(smokeId, started, dir), settings);
    if (judged.checks.every((x) => x.ok) && judged.trace) break;
  }
  const ok = judged.checks.every((x) => x.ok);
  term.out();
  if (judged.trace) {
    term.out(c.bold(`the journey's crud, trace ${judged.trace[0]!.traceId}`) + c.dim(`  (from ${dir})`));
    for (const line of waterfall(judged.trace, c)) term.out(line);
    term.out();
  }
  for (const check of judged.checks) term.out(`${check.ok ? c.green('✔') : c.red('✘')} ${check.what}`);
  return {
    ...base,
    traceId: judged.trace?.[0]?.traceId,
    sent: true,
    confirmed: ok,
    ms: Date.now() - started,
    ...(ok ? { evidence: `the page's and the backend's spans, joined, in the collector's files (${dir})` } : { error: `not in the collector's files within ${timeoutMs / 1000}s: ${judged.checks.filter((x) => !x.ok).map((x) => x.what).join('; ')}` }),
  };
}
