// The browser hop's confirmations: not only that the page's spans arrived, but that they arrived
// joined to the backend's, one trace from the click to the server, as the week asks.
import { paginateBatchGetTraces, paginateGetTraceSummaries, type Segment } from '@aws-sdk/client-xray';
import { awsFault } from '../lib/aws/clients.ts';
import { xrayTraceId } from '../lib/aws/console-links.ts';
import { HoneycombError, notYet } from '../lib/honeycomb/api.ts';
import { backoff, confirmHoneycomb, confirmXray, MINUTE_MS, seconds, sleep, smokeExpression, traceFacts, type ConfirmContext, type HoneycombTarget, type Outcome } from './confirm.ts';

export interface Services {
  page: string;
  backend: string;
}

type Row = Record<string, unknown>;

/** A backend span whose parent is one of the page's spans, in the same trace: the join, if any. */
export function joinedPair(rows: Row[], services: Services): { traceId: string; parent: string; child: string } | undefined {
  const page = rows.filter((r) => r['service.name'] === services.page);
  for (const server of rows.filter((r) => r['service.name'] === services.backend)) {
    const parent = page.find((p) => p['trace.trace_id'] === server['trace.trace_id'] && p['trace.span_id'] === server['trace.parent_id']);
    if (parent) return { traceId: String(server['trace.trace_id']), parent: String(parent.name ?? parent['trace.span_id']), child: String(server.name ?? server['trace.span_id']) };
  }
  return undefined;
}

/**
 * In Honeycomb: the page's spans in the front end's dataset (by the smoke id, as every hop), then
 * one environment-wide query (__all__) for the journey's spans of both services, with their
 * trace, span and parent ids: joined when a backend span is the child of one of the page's.
 */
export async function confirmJoinedInHoneycomb(ctx: ConfirmContext, smokeId: string, baseline: string | null | undefined, target: HoneycombTarget, services: Services): Promise<Outcome> {
  const arrived = await confirmHoneycomb(ctx, smokeId, baseline, target);
  const h = ctx.preflight.honeycomb!;
  if (!arrived.ok) return arrived;
  if (!h.queryable) return { ok: true, evidence: `${arrived.evidence}; whether the backend's spans joined the page's is not checked: this key cannot run queries (X-Ray checks it when configured)` };
  // One query result every few seconds at most: the other hops' polls share the 10 a minute.
  const spacing = (ctx.minuteMs ?? MINUTE_MS) / 5;
  let rows: Row[] = [];
  let lastError = '';
  while (!ctx.signal.aborted) {
    try {
      rows = await h.api.rows('__all__', {
        calculations: [{ op: 'COUNT' }],
        filters: [{ column: 'app.smoke_id', op: '=', value: smokeId }],
        breakdowns: ['service.name', 'name', 'trace.trace_id', 'trace.span_id', 'trace.parent_id'],
        time_range: Math.max(60, Math.ceil((performance.now() - ctx.startedMs) / 1000 + 300)),
      });
      const pair = joinedPair(rows, services);
      if (pair) return { ok: true, evidence: `${arrived.evidence}; joined: in trace ${pair.traceId} the backend's "${pair.child}" is a child of the page's "${pair.parent}"` };
    } catch (err) {
      if (ctx.signal.aborted) break;
      if (!notYet(err)) lastError = err instanceof HoneycombError ? (err.status === 429 ? 'rate-limited by the Query Data API' : err.fault.cause) : (err as Error).message;
    }
    await sleep(spacing, ctx.signal);
  }
  const backend = rows.filter((r) => r['service.name'] === services.backend).length;
  if (!backend) {
    return { ok: false, error: `the page's spans arrived in dataset ${target.dataset}, but no ${services.backend} span with the journey's smoke id came within ${seconds(ctx)}: the page's requests did not carry it to the backend (its baggage header), or the backend's spans did not arrive${lastError ? ` (last error: ${lastError})` : ''}` };
  }
  return {
    ok: false,
    error: `the trace arrived unjoined: the page's spans are in dataset ${target.dataset} and ${backend} of the backend's in ${services.backend}, but none of the backend's is a child of the page's: the traceparent header did not reach the backend (a proxy between them that drops it, or a backend that does not read it)`,
  };
}

/**
 * In X-Ray: the journey's traces, found as every hop's by the smoke id the backend's spans carry
 * (the page's carry it on their resource, which the exporter does not index), and among them
 * one whose segments are the page's service and the backend's.
 */
export async function confirmJoinedInXray(ctx: ConfirmContext, smokeId: string, traceId: string, sentAt: number, services: Services): Promise<Outcome> {
  const found = await confirmXray(ctx, smokeId, traceId, sentAt);
  if (!found.ok) return found;
  const x = ctx.preflight.xray!;
  const group = ctx.settings.xrayGroup.value;
  const call = { abortSignal: AbortSignal.any([AbortSignal.timeout(10_000), ctx.signal]) };
  let seen = new Set<string>();
  let lastError = '';
  for (let attempt = 0; !ctx.signal.aborted; attempt++) {
    try {
      const ids: string[] = [];
      const expression = smokeExpression(x.filter!, smokeId); // confirmXray found it: the group has a filter
      for await (const page of paginateGetTraceSummaries({ client: x.client! }, { StartTime: new Date(sentAt - 300_000), EndTime: new Date(Date.now() + 60_000), FilterExpression: expression }, call)) {
        ids.push(...(page.TraceSummaries ?? []).flatMap((t) => (t.Id ? [t.Id] : [])));
      }
      const byTrace = new Map<string, Segment[]>();
      // BatchGetTraces takes 5 trace ids a call (X-Ray API reference).
      for (let i = 0; i < ids.length; i += 5) {
        for await (const page of paginateBatchGetTraces({ client: x.client! }, { TraceIds: ids.slice(i, i + 5) }, call)) {
          for (const t of page.Traces ?? []) byTrace.set(t.Id ?? '', [...(byTrace.get(t.Id ?? '') ?? []), ...(t.Segments ?? [])]);
        }
      }
      for (const [id, segments] of byTrace) {
        const facts = traceFacts(segments.map((s) => s.Document ?? '{}'));
        seen = new Set([...seen, ...facts.services]);
        if (facts.services.has(services.page) && facts.services.has(services.backend)) {
          return { ok: true, evidence: `${found.evidence}; joined: trace ${id} holds ${services.page} and ${services.backend}` };
        }
      }
    } catch (err) {
      if (ctx.signal.aborted) break;
      lastError = awsFault(err, 'BatchGetTraces').cause;
    }
    await sleep(backoff(attempt, ctx.pollMs), ctx.signal);
  }
  return {
    ok: false,
    error: `X-Ray holds the journey's ${services.backend} segments under group ${group}, but no trace of them holds ${services.page} (services seen: ${[...seen].join(', ') || 'none'})${lastError ? `; last error: ${lastError}` : ''}: the page's spans did not reach X-Ray, or the backend's spans are not in the page's traces (traceparent lost on the way); trace ${xrayTraceId(traceId)} shows what arrived`,
  };
}
