import { BatchGetTracesCommand, GetGroupCommand, GetTraceSummariesCommand, PutTraceSegmentsCommand, type XRayClient } from '@aws-sdk/client-xray';
import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { awsFault, deadline, isMissingGroup, xrayClient } from '../lib/aws.ts';
import { canaryTrace, newSmokeId, recorder, smokeHeaders } from '../lib/canary.ts';
import { networkFault } from '../lib/faults.ts';
import { authInOtherRegion, findDataset, HoneycombApi, HoneycombError, keyInfo, type Auth } from '../lib/honeycomb.ts';
import { honeycombTrace, xrayTrace, xrayTraceId } from '../lib/links.ts';
import { sendSpans } from '../lib/otlp/send.ts';
import type { Settings } from '../lib/settings.ts';
import type { Term } from '../lib/term.ts';
import { segmentDocuments, type SpanLike } from '../lib/xray-segments.ts';
import type { HopResult } from './result.ts';

export const HOPS = ['honeycomb', 'xray', 'collector', 'backend'] as const;
export type Hop = (typeof HOPS)[number];

/** Attributes the collector indexes as X-Ray annotations; the direct X-Ray hop does the same. */
export const INDEXED = ['app.smoke_id', 'app.user_handle'];
const SMOKE_ANNOTATION = 'app_smoke_id';

export interface RemoteOverrides {
  /** Where the "other" Honeycomb region is probed when a key is refused (tests point it at a fake). */
  honeycombOtherRegion?: string;
  pollMs?: number;
}

interface Outcome {
  ok: boolean;
  evidence?: string;
  error?: string;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/** Polls start quick and back off to `cap`: fast when data is already there, gentle on the APIs when not. */
export const backoff = (attempt: number, cap: number): number => Math.min(cap, 250 * 2 ** attempt);

const toSpanLike = (s: ReadableSpan): SpanLike => ({
  traceId: s.spanContext().traceId,
  spanId: s.spanContext().spanId,
  parentSpanId: s.parentSpanContext?.spanId ?? '',
  name: s.name,
  startMs: hrTimeToMilliseconds(s.startTime),
  endMs: hrTimeToMilliseconds(s.endTime),
  attributes: { ...s.attributes },
});

/** Serialises the hops that can only be confirmed by the dataset's last write, so each write is theirs. */
class Gate {
  #tail = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work);
    this.#tail = result.then(() => undefined, () => undefined);
    return result;
  }
}

export async function runRemote(settings: Settings, term: Term, requested: Hop[] | undefined, timeoutMs: number, overrides: RemoteOverrides = {}): Promise<HopResult[]> {
  const c = term.color;
  const pollMs = overrides.pollMs ?? 2000;
  const started = performance.now();
  const key = settings.honeycombKey?.value.trim();
  const hops: Hop[] = requested ?? HOPS.filter((h) => (h === 'honeycomb' ? Boolean(key) : h === 'xray' ? settings.awsCredentials : true));
  const wantsHoneycomb = Boolean(key);
  const wantsXray = settings.awsCredentials;
  const service = settings.serviceName.value;
  const region = settings.awsRegion?.value ?? 'us-east-1';

  // --- Preflight: who the key belongs to, and the group's filter. Both shape every hop.
  const honeycomb = wantsHoneycomb ? await honeycombPreflight(settings, key!, overrides) : undefined;
  const xray = wantsXray ? await xrayPreflight(settings) : undefined;
  if (honeycomb?.auth) {
    term.out(`${c.dim('Honeycomb:')} team ${c.bold(honeycomb.auth.team.name)}, environment ${c.bold(honeycomb.auth.environment.name || '(Classic)')} ${c.dim(`(${keyInfo(key!).label})`)}`);
  }
  if (xray?.filter) term.out(`${c.dim('X-Ray:')} group ${c.bold(settings.xrayGroup.value)} in ${region}, filter ${c.bold(xray.filter)}`);

  const status = new Map<Hop, string>(hops.map((h) => [h, 'sending']));
  const ticker = setInterval(() => {
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    term.progress(`${c.dim('…')} ${[...status].map(([h, s]) => `${h}: ${s}`).join(c.dim(' · '))} ${c.dim(`(${secs} s)`)}`);
  }, 200);
  const signal = AbortSignal.timeout(timeoutMs);
  const gate = new Gate();

  // --- Confirmation at each destination.
  const confirmHoneycomb = async (smokeId: string, baseline: string | null | undefined): Promise<Outcome> => {
    if (!honeycomb?.auth) return { ok: false, error: honeycomb?.error ?? 'no HONEYCOMB_API_KEY' };
    let lastError = '';
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        if (honeycomb.queryable) {
          const n = await honeycomb.api.count(service, 'app.smoke_id', smokeId, (performance.now() - started) / 1000 + 300);
          if (n > 0) return { ok: true, evidence: `found by smoke id in dataset ${service} (Query Data API)` };
        } else if (honeycomb.readable) {
          const dataset = findDataset(await honeycomb.api.datasets(), service);
          if (dataset?.last_written_at && dataset.last_written_at !== baseline) {
            return { ok: true, evidence: `dataset ${service} was written after the send (last_written_at ${dataset.last_written_at}); a key that may query would find the trace itself` };
          }
        } else {
          return {
            ok: false,
            error: `accepted by Honeycomb, but this ${keyInfo(key!).label} cannot read datasets, so arrival cannot be confirmed: a configuration key for environment "${honeycomb.auth.environment.name}" would confirm it`,
          };
        }
      } catch (err) {
        if (err instanceof HoneycombError && (err.status === 401 || err.status === 403)) {
          // Enterprise-only query API, or a key without dataset access: fall back one level.
          if (honeycomb.queryable) honeycomb.queryable = false;
          else honeycomb.readable = false;
          continue;
        }
        lastError = err instanceof HoneycombError ? err.fault.cause : (err as Error).message;
      }
      await sleep(backoff(attempt, pollMs), signal);
    }
    return { ok: false, error: `Timed out after ${timeoutMs / 1000}s waiting for: the smoke trace in Honeycomb dataset ${service}${lastError ? ` (last error: ${lastError})` : ''}` };
  };

  const baselineWrite = async (): Promise<string | null | undefined> => {
    if (!honeycomb?.auth || honeycomb.queryable || !honeycomb.readable) return undefined;
    try {
      return findDataset(await honeycomb.api.datasets(), service)?.last_written_at ?? null;
    } catch {
      return undefined;
    }
  };

  const confirmXray = async (smokeId: string, traceId: string, sentAt: number): Promise<Outcome> => {
    if (!xray?.client || !xray.filter) return { ok: false, error: xray?.error ?? 'no AWS credentials' };
    const expression = `(${xray.filter}) AND annotation.${SMOKE_ANNOTATION} = "${smokeId}"`;
    let lastError = '';
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        const out = await xray.client.send(
          new GetTraceSummariesCommand({ StartTime: new Date(sentAt - 300_000), EndTime: new Date(Date.now() + 60_000), FilterExpression: expression }),
          deadline(),
        );
        if ((out.TraceSummaries ?? []).length > 0) return { ok: true, evidence: `found by annotation ${SMOKE_ANNOTATION} under group ${settings.xrayGroup.value}'s filter` };
      } catch (err) {
        lastError = awsFault(err, 'GetTraceSummaries').cause;
      }
      await sleep(backoff(attempt, pollMs), signal);
    }
    // Did it arrive at all? Then the group's filter is what hides it.
    try {
      const found = await xray.client.send(new BatchGetTracesCommand({ TraceIds: [xrayTraceId(traceId)] }), deadline());
      if ((found.Traces ?? []).some((t) => (t.Segments ?? []).length > 0)) {
        return {
          ok: false,
          error: `the trace reached X-Ray, but group ${settings.xrayGroup.value}'s filter ${xray.filter} does not select it: set the filter to service("${service}") (npm run xray:setup)`,
        };
      }
    } catch {
      // the timeout message below says enough
    }
    return { ok: false, error: `Timed out after ${timeoutMs / 1000}s waiting for: trace ${xrayTraceId(traceId)} in X-Ray group ${settings.xrayGroup.value}${lastError ? ` (last error: ${lastError})` : ''}` };
  };

  const links = (traceId: string, toHoneycomb: boolean, toXray: boolean): Record<string, string> => ({
    ...(toHoneycomb && honeycomb?.auth ? { honeycomb: honeycombTrace({ endpoint: honeycomb.api.endpoint, team: honeycomb.auth.team.slug, environment: honeycomb.auth.environment.slug }, traceId) } : {}),
    ...(toXray && wantsXray ? { xray: xrayTrace(region, traceId) } : {}),
  });

  /** Sends through `send`, then waits for every destination; honeycomb-by-dataset hops go one at a time. */
  type Sent = { traceId: string; smokeId: string; error?: string; after?: () => Promise<unknown> };
  const hop = async (name: Hop, toHoneycomb: boolean, toXray: boolean, send: () => Promise<Sent>): Promise<HopResult> => {
    const t0 = performance.now();
    const viaDataset = toHoneycomb && honeycomb?.auth && !honeycomb.queryable && honeycomb.readable;
    const work = async (): Promise<HopResult> => {
      const baseline = toHoneycomb ? await baselineWrite() : undefined;
      const sentAt = Date.now();
      const sent = await send();
      const base = { hop: name, traceId: sent.traceId, smokeId: sent.smokeId, links: links(sent.traceId, toHoneycomb, toXray) };
      if (sent.error) return { ...base, sent: false, confirmed: false, ms: Math.round(performance.now() - t0), error: sent.error };
      status.set(name, 'waiting');
      const outcomes = await Promise.all([
        toHoneycomb ? confirmHoneycomb(sent.smokeId, baseline) : undefined,
        toXray ? confirmXray(sent.smokeId, sent.traceId, sentAt) : undefined,
      ]);
      await sent.after?.();
      const failed = outcomes.filter((o): o is Outcome => Boolean(o && !o.ok));
      const evidence = outcomes.flatMap((o) => (o?.ok && o.evidence ? [o.evidence] : [])).join('; ');
      return {
        ...base,
        sent: true,
        confirmed: failed.length === 0,
        ms: Math.round(performance.now() - t0),
        evidence: evidence || undefined,
        error: failed.map((o) => o.error).join('; ') || undefined,
      };
    };
    const result = await (viaDataset ? gate.run(work) : work());
    status.set(name, result.confirmed ? c.green('✔') : c.red('✘'));
    return result;
  };

  const tasks: Promise<HopResult>[] = [];
  if (hops.includes('honeycomb')) {
    tasks.push(
      hop('honeycomb', true, false, async () => {
        const canary = canaryTrace(service, 'honeycomb');
        if (!honeycomb?.auth) return { ...canary, error: honeycomb?.error ?? 'HONEYCOMB_API_KEY is not set: run npm run setup' };
        const result = await sendSpans(canary.spans, `${honeycomb.api.endpoint}/v1/traces`, { 'x-honeycomb-team': key! });
        return { ...canary, error: result.ok ? undefined : `Honeycomb refused the spans: ${result.error}` };
      }),
    );
  }
  if (hops.includes('xray')) {
    tasks.push(
      hop('xray', false, true, async () => {
        const canary = canaryTrace(service, 'xray');
        if (!xray?.client) return { ...canary, error: xray?.error ?? 'no AWS credentials: run npm run setup' };
        try {
          const out = await xray.client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: segmentDocuments(canary.spans.map(toSpanLike), service, INDEXED) }), deadline());
          const unprocessed = out.UnprocessedTraceSegments ?? [];
          return { ...canary, error: unprocessed.length ? `X-Ray rejected a segment: ${unprocessed[0]!.ErrorCode} ${unprocessed[0]!.Message ?? ''}` : undefined };
        } catch (err) {
          const f = awsFault(err, 'PutTraceSegments');
          return { ...canary, error: `${f.cause}: ${f.fix}` };
        }
      }),
    );
  }
  if (hops.includes('collector')) {
    tasks.push(
      hop('collector', wantsHoneycomb, wantsXray, async () => {
        const canary = canaryTrace(service, 'collector');
        const url = `${settings.collectorUrl.value.replace(/\/+$/, '')}/v1/traces`;
        const result = await sendSpans(canary.spans, url, {}, 5000);
        return { ...canary, error: result.ok ? undefined : `the collector at ${url} did not take the spans: ${result.error}` };
      }),
    );
  }
  if (hops.includes('backend')) {
    tasks.push(
      hop('backend', wantsHoneycomb, wantsXray, async () => {
        const smokeId = newSmokeId('backend');
        const { tracer, finished } = recorder(service);
        // The smoke id travels only as baggage: the hop is confirmed by the backend's own spans.
        const root = tracer.startSpan('smoke backend', { kind: SpanKind.CLIENT, attributes: { 'app.smoke_hop': 'backend' } }, ROOT_CONTEXT);
        const headers = smokeHeaders(root, smokeId);
        const url = `${settings.backendUrl.value.replace(/\/+$/, '')}/api/activities/home`;
        const traceId = root.spanContext().traceId;
        try {
          const res = await fetch(url, { headers, signal: AbortSignal.timeout(5000) });
          await res.arrayBuffer();
          root.setAttribute('http.response.status_code', res.status);
          if (!res.ok) return { traceId, smokeId, error: `the backend answered ${res.status} at ${url}` };
        } catch (err) {
          const f = networkFault(err, url, 'the backend', 'start it: docker compose up -d backend-flask-ts');
          return { traceId, smokeId, error: f ? `${f.cause}: ${f.fix}` : `the backend request failed: ${(err as Error).message}` };
        } finally {
          root.end();
        }
        // The smoke's root span completes the trace, sent once the hop is judged so it cannot
        // be what confirms it (by the dataset's last write).
        const after = () => sendSpans(finished(), `${settings.collectorUrl.value.replace(/\/+$/, '')}/v1/traces`, {}, 5000);
        return { traceId, smokeId, after };
      }),
    );
  }

  const results: HopResult[] = [];
  await Promise.all(
    tasks.map((t) =>
      t.then((r) => {
        results.push(r);
        const secs = (r.ms / 1000).toFixed(1);
        term.done(`${r.confirmed ? c.green('✔') : c.red('✘')} ${r.hop.padEnd(9)} ${r.sent ? 'sent' : c.red('not sent')}, ${r.confirmed ? c.green('confirmed') : c.red('not confirmed')} in ${secs} s ${c.dim(r.traceId ?? '')}`);
      }),
    ),
  );
  clearInterval(ticker);
  results.sort((a, b) => HOPS.indexOf(a.hop as Hop) - HOPS.indexOf(b.hop as Hop));
  for (const r of results) r.cause = likelyCause(r, results, settings);

  term.out();
  for (const r of results) {
    term.out(`${c.bold(r.hop)}: ${r.confirmed ? c.green('confirmed') : c.red('not confirmed')}${r.evidence ? c.dim(` — ${r.evidence}`) : ''}`);
    if (r.error) term.out(`  ${c.red('error:')} ${r.error}`);
    if (r.cause) term.out(`  ${c.yellow('likely cause:')} ${r.cause}`);
    for (const [where, url] of Object.entries(r.links)) term.out(`  ${c.dim(`${where}:`)} ${url}`);
  }
  return results;
}

interface HoneycombState {
  api: HoneycombApi;
  auth?: Auth;
  error?: string;
  queryable: boolean;
  readable: boolean;
}

async function honeycombPreflight(settings: Settings, key: string, overrides: RemoteOverrides): Promise<HoneycombState> {
  const api = new HoneycombApi(settings.honeycombEndpoint.value, key);
  const info = keyInfo(key);
  const state: HoneycombState = { api, queryable: false, readable: info.canRead };
  if (!info.canSend) {
    state.error = `HONEYCOMB_API_KEY is a ${info.label}: ${info.note}`;
    return state;
  }
  try {
    const auth = await api.auth();
    const expected = settings.honeycombEnvironment?.value;
    const actual = auth.environment?.name ?? '';
    if (expected && expected.toLowerCase() !== actual.toLowerCase() && expected.toLowerCase() !== (auth.environment?.slug ?? '').toLowerCase()) {
      state.error = `the key belongs to environment "${actual}" of team "${auth.team.name}", not "${expected}" (HONEYCOMB_ENVIRONMENT): data would land in "${actual}". Use a key from "${expected}" (npm run setup), or set HONEYCOMB_ENVIRONMENT=${actual}`;
      return state;
    }
    state.auth = auth;
    state.readable = state.readable || Boolean(auth.api_key_access?.columns);
    // The Query Data API is for Enterprise plans: ask once, so every hop knows how it will be
    // confirmed before it sends (by smoke id in parallel, or by the dataset's last write in turn).
    if (auth.api_key_access?.queries) {
      try {
        await api.count(settings.serviceName.value, 'app.smoke_id', 'probe', 60);
        state.queryable = true;
      } catch {
        state.queryable = false;
      }
    }
  } catch (err) {
    const e = err as HoneycombError;
    state.error = `${e.fault?.cause ?? (err as Error).message}: ${e.fault?.fix ?? ''}`;
    const other = e.status === 401 ? await authInOtherRegion(settings.honeycombEndpoint.value, key, overrides.honeycombOtherRegion) : undefined;
    if (other) state.error = `the key belongs to the other Honeycomb region: set HONEYCOMB_API_ENDPOINT=${other.endpoint}`;
  }
  return state;
}

interface XrayState {
  client?: XRayClient;
  filter?: string;
  error?: string;
}

async function xrayPreflight(settings: Settings): Promise<XrayState> {
  if (!settings.awsRegion) return { error: 'AWS_REGION is not set: set it (the course uses us-east-1) with npm run setup' };
  const client = xrayClient(settings);
  try {
    const out = await client.send(new GetGroupCommand({ GroupName: settings.xrayGroup.value }), deadline());
    const filter = out.Group?.FilterExpression;
    if (!filter) return { client, error: `X-Ray group ${settings.xrayGroup.value} has no filter expression: set it to service("${settings.serviceName.value}")` };
    return { client, filter };
  } catch (err) {
    if (isMissingGroup(err)) {
      return { client, error: `X-Ray group ${settings.xrayGroup.value} does not exist in ${settings.awsRegion.value}: create it with npm run xray:setup` };
    }
    const f = awsFault(err, 'xray:GetGroup');
    return { client, error: `${f.cause}: ${f.fix}` };
  }
}

/** The hop that broke, told from what the others showed. */
export function likelyCause(r: HopResult, all: HopResult[], settings: Settings): string | undefined {
  if (r.confirmed) return undefined;
  const ok = (hop: string) => all.find((h) => h.hop === hop)?.confirmed;
  switch (r.hop) {
    case 'collector':
      if (!r.sent) return `the collector is not reachable at ${settings.collectorUrl.value}: start it (docker compose up -d otel-collector) or set OTEL_COLLECTOR_URL`;
      if (ok('honeycomb') || ok('xray')) {
        return 'the collector: it took the spans but did not deliver them while the direct hops work. Check its exporters (docker compose logs otel-collector) and that its container has the key and credentials (npm run doctor -- --only workspace)';
      }
      return 'the destinations themselves: the direct hops failed too (see honeycomb and xray)';
    case 'backend':
      if (!r.sent) return `the backend is not reachable at ${settings.backendUrl.value}: start it (docker compose up -d) or set BACKEND_URL`;
      if (ok('collector')) {
        return 'the backend: it answered, but its spans did not arrive while the collector works. Check its OTEL_EXPORTER_OTLP_ENDPOINT points at the collector (docker compose exec backend-flask-ts env | grep OTEL)';
      }
      return 'the collector: the backend exports through it, and the collector hop failed too';
    case 'xray':
      if (ok('honeycomb')) return 'X-Ray only: Honeycomb works, so check the AWS credentials, AWS_REGION and the group filter (npm run doctor -- --only aws)';
      return 'AWS: credentials, region or the X-Ray group (npm run doctor -- --only aws)';
    case 'honeycomb':
      return 'Honeycomb: the key, its environment or the region (npm run doctor -- --only honeycomb)';
    default:
      return undefined;
  }
}
