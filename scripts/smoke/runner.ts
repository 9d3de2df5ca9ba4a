// The smoke's runner, as the doctor's runs checks: the preflight once, then every hop at once,
// each bounded by one deadline. A hop that crashes or overruns becomes a verdict; the deadline
// holds within a second whatever a server does.
import { leaveMarker } from './marker.ts';
import { untilDeadline } from '../lib/net/deadline.ts';
import { addressProblem, type Settings } from '../lib/workspace/settings.ts';
import type { Term } from '../lib/terminal/term.ts';
import { xrayTrace } from '../lib/aws/console-links.ts';
import { honeycombDataset, honeycombTrace } from '../lib/honeycomb/links.ts';
import { keyInfo } from '../lib/honeycomb/api.ts';
import { honeycombPoller, type ConfirmContext } from './confirm.ts';
import { HOPS } from './hops/index.ts';
import type { Hop, HopName } from './hops/hop.ts';
import { preflight, type Preflight, type PreflightOverrides } from './preflight.ts';
import type { HopResult } from './result.ts';

export interface RemoteOverrides extends PreflightOverrides {
  pollMs?: number;
  /** Honeycomb's minute, shortened in tests along with the fake's (HoneycombFakeOptions.minuteMs). */
  minuteMs?: number;
}

/** A hop whose destinations are none: sent, but nothing can show where it went. */
export const NOWHERE_PREFIX = 'not confirmed: nowhere to look';
export const NOWHERE =
  `${NOWHERE_PREFIX}: no HONEYCOMB_API_KEY and no AWS credentials are set, so neither Honeycomb nor X-Ray can be asked whether the spans arrived. Save one (npm run setup), or run npm run smoke with no --hops for the local default`;

/** How long past the deadline a hop may take to say why it timed out (its last error). */
const GRACE_MS = 900;

/** Serialises the hops that can only be confirmed by a dataset's last write, so each write is theirs (one gate per dataset). */
class Gate {
  #tail = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work);
    this.#tail = result.then(() => undefined, () => undefined);
    return result;
  }
}

function links(ctx: ConfirmContext, hop: Hop, d: { honeycomb: boolean; xray: boolean }, traceId: string): Record<string, string> {
  const h = ctx.preflight.honeycomb;
  const region = ctx.settings.awsRegion.value;
  const target = hop.honeycombTarget(ctx.settings);
  const place = h?.auth && { endpoint: h.api.endpoint, team: h.auth.team.slug, environment: h.auth.environment.slug };
  return {
    ...(d.honeycomb && place ? { honeycomb: target.signal === 'traces' ? honeycombTrace(place, traceId) : honeycombDataset(place, target.dataset) } : {}),
    ...(d.xray && ctx.settings.awsCredentials ? { xray: xrayTrace(region, traceId) } : {}),
  };
}

const wrongAddress = (hop: Hop, settings: Settings) => {
  const address = hop.sendsTo?.(settings);
  return address && addressProblem(address);
};

async function runHop(hop: Hop, ctx: ConfirmContext, gates: Map<string, Gate>, status: Map<HopName, string>): Promise<HopResult> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  const d = hop.destinations(ctx.preflight, ctx.settings);
  const h = ctx.preflight.honeycomb;
  const viaDataset = d.honeycomb && Boolean(h?.auth) && !h?.queryable && Boolean(h?.readable);
  let sending = false;
  let sent: HopResult | undefined;
  const work = async (): Promise<HopResult> => {
    // An address that is not one is the student's setting to fix, not the hop crashing.
    const address = wrongAddress(hop, ctx.settings);
    if (address) return { hop: hop.name, links: {}, sent: false, confirmed: false, ms: ms(), error: address };
    sending = true;
    status.set(hop.name, 'sending');
    const receipt = await hop.send(ctx);
    const base = { hop: hop.name, traceId: receipt.traceId, smokeId: receipt.smokeId, links: receipt.traceId ? links(ctx, hop, d, receipt.traceId) : {}, ...(receipt.journey ? { journey: receipt.journey } : {}) };
    if (receipt.error) return { ...base, sent: false, confirmed: false, ms: ms(), error: receipt.error };
    sent = { ...base, sent: true, confirmed: false, ms: 0 };
    status.set(hop.name, 'waiting');
    const outcomes = await hop.confirm(ctx, receipt);
    if (receipt.after) await untilDeadline(receipt.after(), ctx.signal, 0);
    // "No destination failed" is no evidence when there is no destination.
    if (outcomes.length === 0) return { ...base, sent: true, confirmed: false, ms: ms(), error: hop.nowhere ?? NOWHERE };
    const failed = outcomes.filter((o) => !o.ok);
    const evidence = outcomes.flatMap((o) => (o.ok && o.evidence ? [o.evidence] : [])).join('; ');
    return { ...base, sent: true, confirmed: failed.length === 0, ms: ms(), evidence: evidence || undefined, error: failed.map((o) => o.error).join('; ') || undefined };
  };
  try {
    const dataset = hop.honeycombTarget(ctx.settings).dataset;
    if (viaDataset && !gates.has(dataset)) gates.set(dataset, new Gate());
    const result = await untilDeadline(viaDataset ? gates.get(dataset)!.run(work) : work(), ctx.signal, GRACE_MS);
    if (result) return result;
    // The hop holding a dataset's turn is sending; only the hops behind it are waiting their turn.
    const waiting = sent ? 'its confirmation' : sending ? 'its send to answer' : 'its turn to send (hops confirmed by the dataset\'s last write go one at a time)';
    return { hop: hop.name, links: {}, ...sent, sent: Boolean(sent), confirmed: false, ms: ms(), error: `Timed out after ${ctx.timeoutMs / 1000}s waiting for ${waiting}` };
  } catch (err) {
    return { hop: hop.name, links: {}, ...sent, sent: Boolean(sent), confirmed: false, ms: ms(), error: `the ${hop.name} hop crashed: ${(err as Error).message} (a bug in the smoke: please report it)` };
  }
}

export async function runHops(settings: Settings, term: Term, requested: HopName[] | undefined, timeoutMs: number, overrides: RemoteOverrides = {}): Promise<HopResult[]> {
  const c = term.color;
  const startedMs = performance.now();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const chosen = HOPS.filter((h) => (requested ? requested.includes(h.name) : h.configured(settings)));
  const status = new Map<HopName, string>(chosen.map((h) => [h.name, 'preflight']));
  const ticker = setInterval(() => {
    const secs = ((performance.now() - startedMs) / 1000).toFixed(1);
    term.progress(`${c.dim('…')} ${[...status].map(([h, s]) => `${h}: ${s}`).join(c.dim(' · '))} ${c.dim(`(${secs} s)`)}`);
  }, 200);
  try {
    const pf: Preflight | undefined = await untilDeadline(preflight(settings, deadline.signal, overrides), deadline.signal, 0);
    // Its calls end at the deadline: an answer that came only because they were cut is none.
    if (!pf || deadline.signal.aborted) {
      const error = `Timed out after ${timeoutMs / 1000}s before sending: Honeycomb's /1/auth or X-Ray's GetGroup did not answer (npm run doctor says which)`;
      return chosen.map((h) => ({ hop: h.name, sent: false, confirmed: false, ms: timeoutMs, links: {}, error }));
    }
    if (pf.honeycomb?.auth) {
      term.out(`${c.dim('Honeycomb:')} team ${c.bold(pf.honeycomb.auth.team.name)}, environment ${c.bold(pf.honeycomb.auth.environment.name || '(Classic)')} ${c.dim(`(${keyInfo(pf.honeycomb.key).label})`)}`);
    }
    if (pf.xray?.filter) term.out(`${c.dim('X-Ray:')} group ${c.bold(settings.xrayGroup.value)} in ${settings.awsRegion.value}, filter ${c.bold(pf.xray.filter)}`);
    const ctx: ConfirmContext = { settings, preflight: pf, signal: deadline.signal, pollMs: overrides.pollMs ?? 2000, startedMs, timeoutMs, minuteMs: overrides.minuteMs };
    if (pf.honeycomb?.queryable) ctx.poller = honeycombPoller(ctx, overrides.minuteMs);
    const gates = new Map<string, Gate>();
    const results = await Promise.all(
      chosen.map((hop) =>
        runHop(hop, ctx, gates, status).then((r) => {
          status.set(hop.name, r.confirmed ? c.green('✔') : c.red('✘'));
          term.done(`${r.confirmed ? c.green('✔') : c.red('✘')} ${r.hop.padEnd(9)} ${r.sent ? 'sent' : c.red('not sent')}, ${r.confirmed ? c.green('confirmed') : c.red('not confirmed')} in ${(r.ms / 1000).toFixed(1)} s ${c.dim(r.traceId ?? '')}`);
          return r;
        }),
      ),
    );
    // No likely cause where the error is already the cause: nowhere to look, or an address that is none.
    for (const [i, r] of results.entries()) r.cause = r.confirmed || r.error?.startsWith(NOWHERE_PREFIX) || wrongAddress(chosen[i]!, settings) ? undefined : chosen[i]!.likelyCause(r, results, settings);
    await leaveMarker(pf, settings, results, Date.now() - (performance.now() - startedMs), term);
    return results;
  } finally {
    clearInterval(ticker);
    clearTimeout(timer);
  }
}

/** The hops' verdicts, each with its evidence or its error, likely cause and links. */
export function printHops(term: Term, results: HopResult[]): void {
  const c = term.color;
  term.out();
  for (const r of results) {
    term.out(`${c.bold(r.hop)}: ${r.confirmed ? c.green('confirmed') : c.red('not confirmed')}${r.evidence ? c.dim(` — ${r.evidence}`) : ''}`);
    if (r.error) term.out(`  ${c.red('error:')} ${r.error}`);
    if (r.journey) {
      const steps = r.journey.steps.map((s) => `${s.name} ${s.error ? c.red('✘') : `${(s.ms / 1000).toFixed(2)} s`}`).join(c.dim(' · '));
      const page = [r.journey.loadMs && `load ${(r.journey.loadMs / 1000).toFixed(2)} s`, r.journey.lcpMs && `LCP ${(r.journey.lcpMs / 1000).toFixed(2)} s`].filter(Boolean).join(', ');
      term.out(`  ${c.dim('journey:')} ${steps}${page ? c.dim(`; first page ${page}`) : ''}`);
      for (const s of r.journey.steps.filter((s) => s.note)) term.out(`  ${c.yellow('!')} ${s.name}: ${s.note}`);
    }
    if (r.cause) term.out(`  ${c.yellow('likely cause:')} ${r.cause}`);
    for (const [where, url] of Object.entries(r.links)) term.out(`  ${c.dim(`${where}:`)} ${url}`);
  }
}
