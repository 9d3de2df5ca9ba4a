// Each hop file on its own: its send, its confirmation, and its likely cause, against the
// world's stand-ins; and the runner's deadline against servers that never answer.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { closedPort, listen } from '../../../testkit/http.ts';
import { KEYS } from '../../../testkit/honeycomb.ts';
import type { Settings } from '../../lib/workspace/settings.ts';
import { silentTerm } from '../../lib/terminal/term.ts';
import { honeycombPoller, type ConfirmContext } from '../../smoke/confirm.ts';
import { backendHop } from '../../smoke/hops/backend.ts';
import { collectorHop } from '../../smoke/hops/collector.ts';
import type { Hop } from '../../smoke/hops/hop.ts';
import { honeycombHop } from '../../smoke/hops/honeycomb.ts';
import { logsHop } from '../../smoke/hops/logs.ts';
import { metricsHop } from '../../smoke/hops/metrics.ts';
import { xrayHop } from '../../smoke/hops/xray.ts';
import { preflight } from '../../smoke/preflight.ts';
import type { HopResult } from '../../smoke/result.ts';
import { runHops } from '../../smoke/runner.ts';
import { startWorld, type World } from '../world.ts';

/** The world's Honeycomb minute (testkit/clouds.ts). */
const MINUTE = 1000;

const t = suite<{ world: World }>('each smoke hop on its own');
t.before(async (ctx) => {
  ctx.world = await startWorld();
});
t.after(async (ctx) => {
  await ctx.world.close();
});

async function context(settings: Settings, timeoutMs = 4000): Promise<ConfirmContext> {
  const signal = AbortSignal.timeout(timeoutMs);
  const ctx: ConfirmContext = { settings, preflight: await preflight(settings, signal), signal, pollMs: 50, startedMs: performance.now(), timeoutMs };
  if (ctx.preflight.honeycomb?.queryable) ctx.poller = honeycombPoller(ctx, MINUTE);
  return ctx;
}

async function sendAndConfirm(hop: Hop, settings: Settings) {
  const ctx = await context(settings);
  const receipt = await hop.send(ctx);
  assert.is(receipt.error, undefined, receipt.error);
  assert.match(receipt.traceId, /^[0-9a-f]{32}$/);
  assert.match(receipt.smokeId, new RegExp(`^smoke-${hop.name}-`));
  const outcomes = await hop.confirm(ctx, receipt);
  await receipt.after?.();
  return outcomes;
}

t('honeycomb: sent with the key, confirmed in Honeycomb only', async ({ world }) => {
  const outcomes = await sendAndConfirm(honeycombHop, world.settings());
  assert.equal(outcomes.map((o) => o.ok), [true]);
  assert.match(outcomes[0]!.evidence!, /Query Data API/, JSON.stringify(outcomes));
});

t('xray: PutTraceSegments, confirmed by the annotation under the group filter, in X-Ray only', async ({ world }) => {
  const outcomes = await sendAndConfirm(xrayHop, world.settings());
  assert.equal(outcomes.map((o) => o.ok), [true]);
  assert.match(outcomes[0]!.evidence!, /annotation app_smoke_id under group Cruddur/);
});

t('collector: confirmed at both destinations, through the real collector running the project config', async ({ world }) => {
  const outcomes = await sendAndConfirm(collectorHop, world.settings());
  assert.equal(outcomes.map((o) => o.ok), [true, true]);
});

t('backend: confirmed at both by the backend’s own spans', async ({ world }) => {
  const outcomes = await sendAndConfirm(backendHop, world.settings());
  assert.equal(outcomes.map((o) => o.ok), [true, true]);
});

t('logs and metrics: through the collector, confirmed in Honeycomb alone, each in its own dataset', async ({ world }) => {
  const logs = await sendAndConfirm(logsHop, world.settings());
  assert.equal(logs.map((o) => o.ok), [true]);
  assert.match(logs[0]!.evidence!, /found by smoke id in dataset backend-flask \(Query Data API\)/);
  const metrics = await sendAndConfirm(metricsHop, world.settings());
  assert.equal(metrics.map((o) => o.ok), [true]);
  assert.match(metrics[0]!.evidence!, /found by smoke id in dataset cruddur-metrics \(Query Data API\)/);
});

t('logs and metrics say why the collector did not take them: down, no such pipeline (an older config), refused', async ({ world }) => {
  const port = await closedPort();
  const unsent = async (hop: Hop, env: Record<string, string | undefined>) => (await hop.send(await context(world.settings(env)))).error ?? '';
  assert.match(await unsent(logsHop, { OTEL_COLLECTOR_URL: `http://127.0.0.1:${port}` }), /^the collector at http:\/\/127\.0\.0\.1:\d+\/v1\/logs did not take the log record: fetch failed$/);
  assert.match(await unsent(metricsHop, { OTEL_COLLECTOR_URL: `http://127.0.0.1:${port}/` }), /^the collector at http:\/\/127\.0\.0\.1:\d+\/v1\/metrics did not take the metric: fetch failed$/);
  // The OTLP receiver answers 404 for a signal with no pipeline; a 400 with its reason.
  const old = await listen((req, res) => (req.url === '/v1/metrics' ? res.writeHead(404).end('404 page not found') : res.writeHead(400, { 'content-type': 'text/plain' }).end('unknown field "resourceLogs"')));
  try {
    assert.is(await unsent(metricsHop, { OTEL_COLLECTOR_URL: old.url }), `the collector at ${old.url}/v1/metrics has no metrics pipeline (404): its config is older than this project's otel-collector/config.yaml`);
    assert.is(await unsent(logsHop, { OTEL_COLLECTOR_URL: old.url }), `the collector at ${old.url}/v1/logs refused the log record: HTTP 400 unknown field "resourceLogs"`);
  } finally {
    await old.close();
  }
});

t('each hop says why it could not send', async ({ world }) => {
  const port = await closedPort();
  const unsent = async (hop: Hop, env: Record<string, string | undefined>) => (await hop.send(await context(world.settings(env)))).error ?? '';
  assert.match(await unsent(honeycombHop, { HONEYCOMB_API_KEY: KEYS.otherEnv }), /belongs to environment "test"/);
  assert.match(await unsent(collectorHop, { OTEL_COLLECTOR_URL: `http://127.0.0.1:${port}` }), /the collector at http:\/\/127\.0\.0\.1:\d+\/v1\/traces did not take the spans/);
  assert.match(await unsent(backendHop, { BACKEND_URL: `http://127.0.0.1:${port}` }), /nothing is listening at .*docker compose up -d backend-flask-ts/);
});

t('each hop’s likely cause reads the other hops', ({ world }) => {
  const settings = world.settings();
  const r = (hop: string, confirmed: boolean, sent = true): HopResult => ({ hop, sent, confirmed, ms: 1, links: {} });
  const directOk = [r('honeycomb', true), r('xray', true)];
  assert.match(collectorHop.likelyCause(r('collector', false), [...directOk, r('collector', false)], settings)!, /^the collector: it took the spans but did not deliver them/);
  assert.match(collectorHop.likelyCause(r('collector', false), [r('honeycomb', false), r('xray', false)], settings)!, /^the destinations themselves/);
  assert.match(backendHop.likelyCause(r('backend', false), [r('collector', true)], settings)!, /^the backend: it answered, but its spans did not arrive/);
  assert.match(backendHop.likelyCause(r('backend', false), [r('collector', false)], settings)!, /^the collector: the backend exports through it/);
  assert.match(xrayHop.likelyCause(r('xray', false), [r('honeycomb', true)], settings)!, /^X-Ray only/);
  assert.match(honeycombHop.likelyCause(r('honeycomb', false), [], settings)!, /npm run doctor -- --only honeycomb/);
  assert.match(logsHop.likelyCause(r('logs', false, false), [], settings)!, /^the collector's logs pipeline at http:\/\/127\.0\.0\.1:\d+: start it \(docker compose up -d otel-collector\)/);
  assert.match(logsHop.likelyCause(r('logs', false), [r('collector', true)], settings)!, /^the collector delivers spans but not this log record/);
  assert.match(logsHop.likelyCause(r('logs', false), [r('collector', true)], { ...settings, cloudwatchLogs: { ...settings.cloudwatchLogs, value: 'true' } })!, /^the collector took the log record but CloudWatch Logs did not get it\. The collector reads CLOUDWATCH_LOGS only when it starts/);
  assert.match(logsHop.likelyCause(r('logs', false), [r('collector', false)], settings)!, /^the collector itself: the collector hop failed too/);
  assert.match(metricsHop.likelyCause(r('metrics', false, false), [], settings)!, /^the collector's metrics pipeline at /);
  assert.match(metricsHop.likelyCause(r('metrics', false), [r('collector', true)], settings)!, /^the collector delivers spans but not metrics: its otlp_http\/honeycomb-metrics exporter names dataset cruddur-metrics/);
  assert.match(metricsHop.likelyCause(r('metrics', false), [r('collector', false)], settings)!, /^the collector itself/);
});

t.run();

const deadline = suite<{ world: World }>('the smoke’s deadline');
deadline.before(async (ctx) => {
  ctx.world = await startWorld();
});
deadline.after(async (ctx) => {
  await ctx.world.close();
});

deadline('a Honeycomb and an X-Ray that accept connections and never answer: the smoke ends at its deadline, saying so', async ({ world }) => {
  const silent = await listen(() => {});
  try {
    const started = performance.now();
    const results = await runHops(world.settings({ HONEYCOMB_API_ENDPOINT: silent.url, AWS_ENDPOINT_URL_XRAY: silent.url }), silentTerm(), undefined, 2000, { pollMs: 50, minuteMs: MINUTE });
    const took = performance.now() - started;
    assert.ok(took < 3000, `took ${Math.round(took)} ms for a 2 s deadline`);
    assert.equal(results.map((r) => r.hop), ['honeycomb', 'xray', 'collector', 'backend', 'logs', 'metrics']);
    for (const r of results) {
      assert.not.ok(r.confirmed);
      assert.match(r.error!, /Timed out after 2s before sending/);
    }
  } finally {
    await silent.close();
  }
});

deadline('a collector that never answers: its hop times out at the deadline, the others are judged', async ({ world }) => {
  const silent = await listen(() => {});
  try {
    const started = performance.now();
    const results = await runHops(world.settings({ OTEL_COLLECTOR_URL: silent.url }), silentTerm(), ['xray', 'collector'], 2000, { pollMs: 50, minuteMs: MINUTE });
    assert.ok(performance.now() - started < 3000, `took ${Math.round(performance.now() - started)} ms for a 2 s deadline`);
    const [xray, collector] = results;
    assert.ok(xray!.confirmed, xray!.error);
    assert.not.ok(collector!.sent);
    assert.match(collector!.error!, /Timed out after 2s waiting for its send to answer/);
  } finally {
    await silent.close();
  }
});

deadline.run();
