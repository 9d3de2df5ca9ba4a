// Confirmation at each destination, polled until found or the smoke's deadline (`signal`).
import { GetIndexingRulesCommand, GetTraceSegmentDestinationCommand, paginateBatchGetTraces, paginateGetTraceSummaries, type Segment, type XRayClient } from '@aws-sdk/client-xray';
import { awsFault } from '../lib/aws/clients.ts';
import { findDataset, HoneycombError, keyInfo } from '../lib/honeycomb/api.ts';
import { xrayTraceId } from '../lib/aws/console-links.ts';
import { compileFilter, type TraceFacts } from '../lib/aws/xray-filter.ts';
import type { Settings } from '../lib/workspace/settings.ts';
import type { Preflight } from './preflight.ts';

/** The annotation X-Ray holds the smoke id under: the collector turns exporter.xray.allowDot off. */
export const SMOKE_ANNOTATION = 'app_smoke_id';

/**
 * The group's filter and the smoke's annotation, as GetTraceSummaries takes them: the filter in
 * parentheses, so a group filter with OR cannot let another trace "confirm" this one.
 */
export const smokeExpression = (groupFilter: string, smokeId: string): string => `(${groupFilter}) AND annotation.${SMOKE_ANNOTATION} = "${smokeId}"`;

export interface Outcome {
  ok: boolean;
  evidence?: string;
  error?: string;
}

export interface ConfirmContext {
  settings: Settings;
  preflight: Preflight;
  signal: AbortSignal;
  pollMs: number;
  /** When the smoke started, for the query's time range. */
  startedMs: number;
  timeoutMs: number;
  /** Polls the Query Data API for every hop at once (honeycombPoller). */
  poller?: HoneycombPoller;
  /** Honeycomb's minute (MINUTE_MS; shortened in tests along with the fake's). */
  minuteMs?: number;
}

/** Honeycomb's minute: its Query Data API's rate window and the unit query ranges are truncated to. */
export const MINUTE_MS = 60_000;
/** docs.honeycomb.io/api/rate-limit: creating query results is limited to 10 a minute (the preflight's probe is one). */
const QUERY_RESULTS_PER_MINUTE = 10;

export interface HoneycombPoller {
  /** Resolves true once the smoke id is counted in `dataset`, 'unavailable' if the API refuses the key, false at the deadline. */
  wait(smokeId: string, dataset: string): Promise<boolean | 'unavailable'>;
  lastError(): string;
}

/** Where a hop's data lands in Honeycomb, and what the messages call it. */
export interface HoneycombTarget {
  dataset: string;
  /** A trace has a page of its own to link to; a metric has its dataset's. */
  signal: 'traces' | 'metrics';
  what: string;
  /** Set when something else writes the dataset too: its last write then shows the pipeline works, not that this send arrived. */
  sharedWith?: string;
}

/** The smoke's spans and log records: in the dataset their service name makes. */
export const traceTarget = (settings: Settings): HoneycombTarget => ({ dataset: settings.serviceName.value, signal: 'traces', what: 'the smoke trace' });

/**
 * One Query Data API poll per dataset for every hop waiting on Honeycomb, spaced to stay
 * within 10 query results a minute. Query time ranges are truncated to the minute, so a span
 * sent now is counted only by results created after the minute under way ends: the first
 * poll waits for that boundary.
 */
export function honeycombPoller(ctx: Omit<ConfirmContext, 'poller'>, minuteMs = MINUTE_MS): HoneycombPoller {
  const h = ctx.preflight.honeycomb!;
  const waiting = new Map<string, { dataset: string; resolve: (found: boolean | 'unavailable') => void }>();
  const spacing = minuteMs / (QUERY_RESULTS_PER_MINUTE - 1);
  let running = false;
  let lastError = '';
  const loop = async () => {
    running = true;
    await sleep(Math.ceil(Date.now() / minuteMs) * minuteMs - Date.now() + minuteMs / 60, ctx.signal);
    while (waiting.size && !ctx.signal.aborted) {
      const datasets = new Set([...waiting.values()].map((w) => w.dataset));
      for (const dataset of datasets) {
        try {
          const ids = [...waiting].filter(([, w]) => w.dataset === dataset).map(([id]) => id);
          if (!ids.length) continue; // answered, or the key was refused, since the round began
          const counts = await h.api.counts(dataset, 'app.smoke_id', ids, (performance.now() - ctx.startedMs) / 1000 + 300);
          for (const id of ids) if ((counts.get(id) ?? 0) > 0) (waiting.get(id)!.resolve(true), waiting.delete(id));
        } catch (err) {
          if (err instanceof HoneycombError && (err.status === 401 || err.status === 403)) {
            h.queryable = false;
            for (const w of waiting.values()) w.resolve('unavailable');
            waiting.clear();
          } else if (err instanceof HoneycombError && err.status === 429) {
            lastError = 'rate-limited by the Query Data API (10 query results a minute, shared with anything else using this key)';
          } else if (!ctx.signal.aborted) {
            lastError = err instanceof HoneycombError ? err.fault.cause : (err as Error).message;
          }
        }
        // Each dataset's poll is a query result of its own: the spacing is per result.
        await sleep(spacing, ctx.signal);
      }
    }
    for (const w of waiting.values()) w.resolve(false);
    waiting.clear();
    running = false;
  };
  return {
    wait(smokeId, dataset) {
      const found = new Promise<boolean | 'unavailable'>((resolve) => waiting.set(smokeId, { dataset, resolve }));
      if (!running) void loop();
      return found;
    },
    lastError: () => lastError,
  };
}

export const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/** Polls start quick and back off to `cap`: fast when data is already there, gentle on the APIs when not. */
export const backoff = (attempt: number, cap: number): number => Math.min(cap, 250 * 2 ** attempt);

export const seconds = (ctx: ConfirmContext) => `${ctx.timeoutMs / 1000}s`;

/** The dataset's last write before a send, for keys that can only be confirmed by it. */
export async function baselineWrite(ctx: ConfirmContext, dataset: string): Promise<string | null | undefined> {
  const h = ctx.preflight.honeycomb;
  if (!h?.auth || h.queryable || !h.readable) return undefined;
  try {
    return findDataset(await h.api.datasets(), dataset)?.last_written_at ?? null;
  } catch {
    return undefined;
  }
}

export async function confirmHoneycomb(ctx: ConfirmContext, smokeId: string, baseline: string | null | undefined, target = traceTarget(ctx.settings)): Promise<Outcome> {
  const h = ctx.preflight.honeycomb;
  const name = target.dataset;
  if (!h?.auth) return { ok: false, error: h?.error ?? 'no HONEYCOMB_API_KEY' };
  let lastError = '';
  for (let attempt = 0; !ctx.signal.aborted; attempt++) {
    try {
      if (h.queryable && ctx.poller) {
        const found = await ctx.poller.wait(smokeId, name);
        if (found === true) return { ok: true, evidence: `found by smoke id in dataset ${name} (Query Data API)` };
        if (found === false) return { ok: false, error: `Timed out after ${seconds(ctx)} waiting for: ${target.what} in Honeycomb dataset ${name}${ctx.poller.lastError() ? ` (last error: ${ctx.poller.lastError()})` : ''}` };
        continue; // the API refused the key: confirm by the dataset's last write instead
      } else if (h.readable) {
        const dataset = findDataset(await h.api.datasets(), name);
        if (dataset?.last_written_at && dataset.last_written_at !== baseline) {
          const shared = target.sharedWith ? `, which ${target.sharedWith} write too: the pipeline delivers; ` : '; ';
          return { ok: true, evidence: `dataset ${name} was written after the send (last_written_at ${dataset.last_written_at})${shared}a key that may query would find ${target.what} itself` };
        }
      } else {
        const why = h.auth.type === 'ingest' ? `this ${keyInfo(h.key).label} cannot read datasets` : `this key has neither "Create Datasets" (to see the dataset's last write) nor "Manage Queries and Columns" with "Run Queries" (to find the trace)`;
        return {
          ok: false,
          error: `accepted by Honeycomb, but ${why}, so arrival cannot be confirmed: a configuration key for environment "${h.auth.environment.name}" with one of those would confirm it`,
        };
      }
    } catch (err) {
      if (err instanceof HoneycombError && (err.status === 401 || err.status === 403)) {
        // Enterprise-only query API, or a key without dataset access: fall back one level.
        if (h.queryable) h.queryable = false;
        else h.readable = false;
        continue;
      }
      if (ctx.signal.aborted) break;
      lastError = err instanceof HoneycombError ? err.fault.cause : (err as Error).message;
    }
    await sleep(backoff(attempt, ctx.pollMs), ctx.signal);
  }
  return { ok: false, error: `Timed out after ${seconds(ctx)} waiting for: ${target.what} in Honeycomb dataset ${name}${lastError ? ` (last error: ${lastError})` : ''}` };
}

export async function confirmXray(ctx: ConfirmContext, smokeId: string, traceId: string, sentAt: number): Promise<Outcome> {
  const x = ctx.preflight.xray;
  const group = ctx.settings.xrayGroup.value;
  if (!x?.client || !x.filter) return { ok: false, error: x?.error ?? 'no AWS credentials' };
  const call = { abortSignal: AbortSignal.any([AbortSignal.timeout(10_000), ctx.signal]) };
  const expression = smokeExpression(x.filter, smokeId);
  let lastError = '';
  for (let attempt = 0; !ctx.signal.aborted; attempt++) {
    try {
      // Every page, as GetTraceSummaries answers a time frame in pages (NextToken), until one holds it.
      for await (const page of paginateGetTraceSummaries({ client: x.client }, { StartTime: new Date(sentAt - 300_000), EndTime: new Date(Date.now() + 60_000), FilterExpression: expression }, call)) {
        if ((page.TraceSummaries ?? []).length > 0) return { ok: true, evidence: `found by annotation ${SMOKE_ANNOTATION} under group ${group}'s filter` };
      }
    } catch (err) {
      if (ctx.signal.aborted) break;
      lastError = awsFault(err, 'GetTraceSummaries').cause;
    }
    await sleep(backoff(attempt, ctx.pollMs), ctx.signal);
  }
  // Did it arrive at all? Then either the group's filter hides it, or X-Ray has not indexed it
  // yet: the filter, run on the stored segments, tells which (asked within the runner's grace).
  try {
    // BatchGetTraces pages a trace's segments too (NextToken): read them all.
    const segments: Segment[] = [];
    for await (const page of paginateBatchGetTraces({ client: x.client }, { TraceIds: [xrayTraceId(traceId)] }, { abortSignal: AbortSignal.timeout(600) })) {
      segments.push(...(page.Traces ?? []).flatMap((t) => t.Segments ?? []));
    }
    if (segments.length > 0) return { ok: false, error: storedButNotFound(ctx, segments.map((s) => s.Document ?? '{}'), x.filter, group, await indexingShare(x.client)) };
  } catch {
    // the timeout message below says enough
  }
  return { ok: false, error: `Timed out after ${seconds(ctx)} waiting for: trace ${xrayTraceId(traceId)} in X-Ray group ${group}${lastError ? ` (last error: ${lastError})` : ''}` };
}

/** What the services and annotations of stored segment documents are, for the group's filter. */
export function traceFacts(documents: string[]): TraceFacts {
  const facts: TraceFacts = { services: new Set(), annotations: new Map() };
  // A subsegment stored as its own document (the awsxray exporter sends a non-server span so)
  // belongs to its parent's service: its name is no service.
  const visit = (doc: { name?: string; type?: string; annotations?: Record<string, unknown>; subsegments?: unknown[] }, top: boolean) => {
    if (top && doc.name && doc.type !== 'subsegment') facts.services.add(doc.name);
    for (const [k, v] of Object.entries(doc.annotations ?? {})) facts.annotations.set(k, [...(facts.annotations.get(k) ?? []), v]);
    for (const sub of doc.subsegments ?? []) visit(sub as typeof doc, false);
  };
  for (const d of documents) {
    try {
      visit(JSON.parse(d), true);
    } catch {
      // an unreadable document adds nothing
    }
  }
  return facts;
}

/**
 * With CloudWatch Transaction Search on, X-Ray keeps trace summaries (what GetTraceSummaries and
 * the group find) for only the share of spans its indexing rule names, 1 % by default: the
 * percentage then, else undefined (GetTraceSegmentDestination says "CloudWatchLogs" when it is on;
 * GetIndexingRules holds the rule. X-Ray API reference; CloudWatch User Guide, "Transaction Search").
 */
export async function indexingShare(client: XRayClient): Promise<number | undefined> {
  try {
    const call = { abortSignal: AbortSignal.timeout(600) };
    const where = await client.send(new GetTraceSegmentDestinationCommand({}), call);
    if (where.Destination !== 'CloudWatchLogs') return undefined;
    const rules = await client.send(new GetIndexingRulesCommand({}), call);
    const rule = rules.IndexingRules?.find((r) => r.Name === 'Default') ?? rules.IndexingRules?.[0];
    return rule?.Rule?.Probabilistic?.DesiredSamplingPercentage ?? 1;
  } catch {
    return undefined; // not allowed to ask, or an older endpoint: the usual advice stands
  }
}

function storedButNotFound(ctx: ConfirmContext, documents: string[], filter: string, group: string, indexedPercent?: number): string {
  const facts = traceFacts(documents);
  const service = ctx.settings.serviceName.value;
  let selects: boolean | undefined;
  try {
    selects = compileFilter(filter)(facts);
  } catch {
    selects = undefined;
  }
  if (selects === false) {
    return `the trace reached X-Ray as service ${[...facts.services].map((s) => `"${s}"`).join(', ')}, which group ${group}'s filter ${filter} does not select: set the filter to service("${service}") (npm run xray:setup)`;
  }
  if (selects === true && indexedPercent !== undefined && indexedPercent < 100) {
    return `the trace reached X-Ray and group ${group}'s filter ${filter} selects it, but CloudWatch Transaction Search is on and X-Ray indexes only ${indexedPercent} % of spans as trace summaries, so a longer wait may never find it: raise the share while you learn (aws xray update-indexing-rule --name Default --rule '{"Probabilistic":{"DesiredSamplingPercentage":100}}', billed per span), or find the trace in CloudWatch > Application Signals > Transaction Search`;
  }
  if (selects === true) {
    return `the trace reached X-Ray and group ${group}'s filter ${filter} selects it, but X-Ray had not indexed it within ${seconds(ctx)}: indexing can take a minute or more; run the smoke again with a longer --timeout (e.g. --timeout 180)`;
  }
  return `the trace reached X-Ray but was not found under group ${group} within ${seconds(ctx)}; its filter ${filter} is more than the smoke can evaluate, so X-Ray may still be indexing it or the filter may not select service "${service}": run the smoke again with a longer --timeout, and if it still fails, set the filter to service("${service}") (npm run xray:setup)`;
}

/** The smoke's log record in the workspace's CloudWatch Logs stream, found by its smoke id. */
export async function confirmCloudWatchLogs(ctx: ConfirmContext, smokeId: string, sentAt: number): Promise<Outcome> {
  const { logGroup, logStream } = ctx.settings;
  const { recentEvents } = await import('../lib/aws/cloudwatch-logs.ts'); // loaded only when logs go there
  let lastError = '';
  for (let attempt = 0; !ctx.signal.aborted; attempt++) {
    try {
      const call = AbortSignal.any([AbortSignal.timeout(10_000), ctx.signal]);
      if ((await recentEvents(ctx.settings, sentAt - 60_000, [smokeId], call)).length > 0) {
        return { ok: true, evidence: `found by smoke id in CloudWatch Logs group ${logGroup.value}, stream ${logStream.value}` };
      }
    } catch (err) {
      if (ctx.signal.aborted) break;
      // The group and stream appear with the collector's first logs.
      lastError = (err as Error).name === 'ResourceNotFoundException' ? `group ${logGroup.value} or its stream ${logStream.value} does not exist yet` : awsFault(err, 'logs:FilterLogEvents').cause;
    }
    await sleep(backoff(attempt, ctx.pollMs), ctx.signal);
  }
  return { ok: false, error: `Timed out after ${seconds(ctx)} waiting for: the smoke log record in CloudWatch Logs group ${logGroup.value}, stream ${logStream.value}${lastError ? ` (last error: ${lastError})` : ''}` };
}
