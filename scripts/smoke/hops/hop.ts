// The shape every hop of the smoke has, as every doctor check has one: what it needs, how it
// sends, how it is confirmed, and what its failure most likely means given the other hops.
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Setting, Settings } from '../../lib/workspace/settings.ts';
import type { SpanLike } from '../../lib/aws/xray-segments.ts';
import { baselineWrite, confirmCloudWatchLogs, confirmHoneycomb, confirmXray, traceTarget, type ConfirmContext, type HoneycombTarget, type Outcome } from '../confirm.ts';
import type { Preflight } from '../preflight.ts';
import type { HopResult } from '../result.ts';

export const HOP_NAMES = ['honeycomb', 'xray', 'collector', 'backend', 'logs', 'metrics', 'browser'] as const;
export type HopName = (typeof HOP_NAMES)[number];

/** What a send leaves to confirm; `error` when it could not be sent. */
export interface Receipt {
  traceId: string;
  smokeId: string;
  sentAt: number;
  /** The dataset's last write before the send, when that is how Honeycomb confirms. */
  baseline?: string | null;
  error?: string;
  /** Runs once the hop is judged (the backend hop's own root span, which must not confirm it). */
  after?: () => Promise<unknown>;
  /** The browser hop's journey: each step's time, and the page's own measures. */
  journey?: HopResult['journey'];
}

export interface Hop {
  name: HopName;
  /** Whether it runs when no --hops list names it: only when its destination is configured. */
  configured(settings: Settings): boolean;
  /** The destinations that must each confirm it. */
  destinations(preflight: Preflight, settings: Settings): { honeycomb: boolean; xray: boolean; cloudwatchLogs?: boolean };
  /** Where in Honeycomb it is looked for: the service's dataset unless it says otherwise. */
  honeycombTarget(settings: Settings): HoneycombTarget;
  send(ctx: ConfirmContext): Promise<Receipt>;
  confirm(ctx: ConfirmContext, receipt: Receipt): Promise<Outcome[]>;
  /** The address setting it sends to, when the student sets one: checked before it sends. */
  sendsTo?(settings: Settings): Setting;
  /** Its own "nowhere to look", when the runner's (no key and no AWS credentials) would not be true of it. */
  nowhere?: string;
  /** The hop that broke, told from what the others showed. */
  likelyCause(result: HopResult, all: HopResult[], settings: Settings): string | undefined;
}

/** A hop whose confirmation waits at each of its destinations at once. */
export function defineHop(hop: Omit<Hop, 'confirm' | 'honeycombTarget'> & Partial<Pick<Hop, 'honeycombTarget'>>): Hop {
  const honeycombTarget = hop.honeycombTarget ?? traceTarget;
  return {
    ...hop,
    honeycombTarget,
    confirm: (ctx, r) => {
      const d = hop.destinations(ctx.preflight, ctx.settings);
      return Promise.all([
        ...(d.honeycomb ? [confirmHoneycomb(ctx, r.smokeId, r.baseline, honeycombTarget(ctx.settings))] : []),
        ...(d.xray ? [confirmXray(ctx, r.smokeId, r.traceId, r.sentAt)] : []),
        ...(d.cloudwatchLogs ? [confirmCloudWatchLogs(ctx, r.smokeId, r.sentAt)] : []),
      ]);
    },
  };
}

/** Sends after noting the baseline a dataset-confirmed hop is judged against (in `dataset`, the service's by default). */
export async function stamped(ctx: ConfirmContext, toHoneycomb: boolean, send: () => Promise<Omit<Receipt, 'sentAt' | 'baseline'>>, dataset = ctx.settings.serviceName.value): Promise<Receipt> {
  const baseline = toHoneycomb ? await baselineWrite(ctx, dataset) : undefined;
  const sentAt = Date.now();
  return { ...(await send()), sentAt, baseline };
}

export const ok = (all: HopResult[], hop: HopName) => all.find((h) => h.hop === hop)?.confirmed;

export const toSpanLike = (s: ReadableSpan): SpanLike => ({
  traceId: s.spanContext().traceId,
  spanId: s.spanContext().spanId,
  parentSpanId: s.parentSpanContext?.spanId ?? '',
  name: s.name,
  startMs: hrTimeToMilliseconds(s.startTime),
  endMs: hrTimeToMilliseconds(s.endTime),
  attributes: { ...s.attributes },
});

/** The collector's OTLP/HTTP path for a signal (OTEL_COLLECTOR_URL). */
export const collectorPath = (settings: Settings, signal: 'traces' | 'logs' | 'metrics') => `${settings.collectorUrl.value.replace(/\/+$/, '')}/v1/${signal}`;
export const collectorTraces = (settings: Settings) => collectorPath(settings, 'traces');

/** An OTLP/JSON string attribute (the OTLP specification's JSON encoding of a KeyValue). */
export const otlpString = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** Posts one OTLP/JSON export to the collector; the error a person reads, or undefined when it took it. */
export async function postToCollector(ctx: ConfirmContext, signal: 'logs' | 'metrics', body: unknown, what: string): Promise<string | undefined> {
  const url = collectorPath(ctx.settings, signal);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.any([AbortSignal.timeout(5000), ctx.signal]),
    });
    const text = await res.text();
    if (res.status === 404) return `the collector at ${url} has no ${signal} pipeline (404): its config is older than this project's otel-collector/config.yaml`;
    if (!res.ok) return `the collector at ${url} refused the ${what}: HTTP ${res.status} ${text.slice(0, 200)}`;
    return undefined;
  } catch (err) {
    return `the collector at ${url} did not take the ${what}: ${(err as Error).message}`;
  }
}
