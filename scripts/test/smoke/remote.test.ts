import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { closedPort, waitFor } from '../../../testkit/http.ts';
import { KEYS, QUERY_RESULTS_PER_MINUTE, startHoneycombFake } from '../../../testkit/honeycomb.ts';
import { silentTerm } from '../../lib/terminal/term.ts';
import { smoke } from '../../smoke/main.ts';
import type { HopResult } from '../../smoke/result.ts';
import type { ReceivedSpan } from '../../lib/otlp/decode.ts';
import { BOOTCAMP, startWorld, TEAM, type World } from '../world.ts';

const t = suite<{ world: World }>('npm run smoke, remote hops');
t.before(async (ctx) => {
  ctx.world = await startWorld();
});
t.after(async (ctx) => {
  await ctx.world.close();
});
t.before.each(({ world }) => {
  world.collector.setDeliver(true);
  world.xray.setIndexingDelay(0);
});

async function run(world: World, argv: string[], env: Record<string, string | undefined> = {}, overrides = {}) {
  const term = silentTerm();
  const { code, report } = await smoke(['--timeout', '4', ...argv], { term, settings: world.settings(env), overrides: { pollMs: 50, minuteMs: world.honeycomb.minuteMs, ...overrides } });
  const hop = (name: string) => report!.hops.find((h) => h.hop === name) as HopResult;
  return { code, report: report!, hop, output: term.lines.join('\n') };
}

t('every hop is confirmed at its destinations, by smoke id, with links', async ({ world }) => {
  const { code, report, hop, output } = await run(world, []);
  assert.is(code, 0, output);
  assert.equal(report.hops.map((h) => h.hop), ['honeycomb', 'xray', 'collector', 'backend', 'logs', 'metrics']);
  for (const h of report.hops) {
    assert.ok(h.sent && h.confirmed, `${h.hop}: ${h.error}`);
    assert.match(h.traceId!, /^[0-9a-f]{32}$/);
  }
  assert.match(hop('honeycomb').evidence!, /Query Data API/);
  assert.match(hop('xray').evidence!, /annotation app_smoke_id under group Cruddur/);
  assert.match(hop('collector').links.honeycomb!, new RegExp(`/${TEAM.slug}/environments/${BOOTCAMP.slug}/trace\\?trace_id=${hop('collector').traceId}`));
  assert.match(hop('backend').links.xray!, /#xray:traces\/1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  // The backend hop's spans are the backend's own, joined to the smoke trace.
  const events = () => world.honeycomb.datasets(KEYS.enterprise).get('backend-flask')!.events.filter((e) => 'name' in e && e.traceId === hop('backend').traceId) as ReceivedSpan[];
  await waitFor(() => (events().some((s) => s.name === 'home-activities-mock-data') ? true : undefined), 3000, 'the backend’s custom span');
  const root = await waitFor(() => events().find((s) => s.name === 'smoke backend'), 3000, 'the smoke’s root span, which completes the trace');
  assert.is(root!.attributes['app.smoke_id'], undefined, 'the root does not carry the smoke id: only the backend’s spans can confirm the hop');
  assert.match(output, /team Cruddur Bootcamp, environment bootcamp/);
  // The logs hop: a log record with the smoke id, in the same dataset as the spans.
  assert.match(hop('logs').evidence!, /found by smoke id in dataset backend-flask/);
  // And a marker of the run on the dataset's graphs.
  const marker = world.honeycomb.config(KEYS.enterprise).markers.at(-1)!;
  assert.equal([marker.dataset, marker.type], ['backend-flask', 'smoke']);
  assert.match(marker.message!, /^smoke \S+ passed$/);
  assert.match(output, /marker "smoke \S+ passed" left on dataset backend-flask's graphs/);
  // The metrics hop: a gauge through the collector's metrics pipeline, in the metrics dataset.
  assert.match(hop('metrics').evidence!, /found by smoke id in dataset cruddur-metrics \(Query Data API\)/);
  assert.match(hop('metrics').links.honeycomb!, new RegExp(`/${TEAM.slug}/environments/${BOOTCAMP.slug}/datasets/cruddur-metrics/home$`));
  const gauge = world.honeycomb.datasets(KEYS.enterprise).get('cruddur-metrics')!.events.find((e) => e.attributes['app.smoke_id'] === hop('metrics').smokeId);
  assert.is(gauge?.attributes['cruddur.smoke'], 1);
  assert.is(world.honeycomb.datasets(KEYS.enterprise).get('backend-flask')!.events.some((e) => e.attributes['app.smoke_id'] === hop('metrics').smokeId), false, 'not in the spans’ dataset');
});

t('the metrics hop, with a key that may not query: the metrics dataset’s last write, which says what else writes it', async ({ world }) => {
  const { code, hop } = await run(world, ['--hops', 'metrics'], { HONEYCOMB_API_KEY: KEYS.config });
  assert.is(code, 0, hop('metrics').error);
  assert.match(hop('metrics').evidence!, /^dataset cruddur-metrics was written after the send .*the host's metrics .* write too: the pipeline delivers; a key that may query would find the smoke metric itself$/);
});

t('a metrics dataset renamed after the collector started: the metrics hop fails alone and says the collector reads the name when it starts', async ({ world }) => {
  const { code, hop } = await run(world, ['--hops', 'collector,metrics', '--timeout', '3'], { HONEYCOMB_METRICS_DATASET: 'cruddur-metrics-2' });
  assert.is(code, 1);
  assert.ok(hop('collector').confirmed, 'spans still arrive');
  assert.match(hop('metrics').error!, /^Timed out after 3s waiting for: the smoke metric in Honeycomb dataset cruddur-metrics-2/);
  assert.match(hop('metrics').cause!, /delivers spans but not metrics: .*dataset cruddur-metrics-2 in x-honeycomb-dataset, read when it starts \(docker compose up -d otel-collector/);
});

t('AWS credentials and no Honeycomb key: logs and metrics are not run by default; named with --hops, nowhere to look, in words true of each', async ({ world }) => {
  const unnamed = await run(world, [], { HONEYCOMB_API_KEY: '' });
  assert.is(unnamed.code, 0, JSON.stringify(unnamed.report.errors));
  assert.equal(unnamed.report.hops.map((h) => h.hop), ['xray', 'collector', 'backend'], 'logs and metrics have nowhere to go without a key (CLOUDWATCH_LOGS is off)');
  const logs = await run(world, ['--hops', 'logs'], { HONEYCOMB_API_KEY: '' });
  assert.match(logs.hop('logs').error!, /^not confirmed: nowhere to look: log records go to Honeycomb, and to CloudWatch Logs only with CLOUDWATCH_LOGS=true/);
  const { code, hop } = await run(world, ['--hops', 'metrics'], { HONEYCOMB_API_KEY: '' });
  assert.is(code, 1);
  assert.ok(hop('metrics').sent);
  assert.match(hop('metrics').error!, /^not confirmed: nowhere to look: metrics go to Honeycomb alone \(X-Ray takes none\) and no HONEYCOMB_API_KEY is set/);
  assert.not.match(hop('metrics').error!, /no AWS credentials/);
});

t('CLOUDWATCH_LOGS=true with a collector started before it was set: the logs hop says to restart the collector', async ({ world }) => {
  const { code, hop } = await run(world, ['--hops', 'logs'], { CLOUDWATCH_LOGS: 'true' });
  assert.is(code, 1);
  assert.match(hop('logs').error!, /Timed out after 4s waiting for: the smoke log record in CloudWatch Logs group cruddur, stream cruddur-workspace/);
  assert.match(hop('logs').cause!, /reads CLOUDWATCH_LOGS only when it starts: docker compose up -d otel-collector/);
  assert.match(world.honeycomb.config(KEYS.enterprise).markers.at(-1)!.message!, /^smoke \S+ failed \(logs\)$/);
});

t('the Query Data API’s 10 results a minute: one poll serves every hop, none is refused, and a quota someone else spent only delays', async ({ world }) => {
  const before = world.honeycomb.rateLimited;
  const { code, report } = await run(world, []);
  assert.is(code, 0, JSON.stringify(report.errors));
  assert.is(world.honeycomb.rateLimited, before, 'no query result was refused');
  // Another tool spends the whole quota of this minute: the smoke waits for the next one.
  const q = (await (await fetch(`${world.honeycomb.url}/1/queries/backend-flask`, { method: 'POST', headers: { 'x-honeycomb-team': KEYS.enterprise }, body: '{"calculations":[{"op":"COUNT"}],"time_range":60}' })).json()) as { id: string };
  while ((await fetch(`${world.honeycomb.url}/1/query_results/backend-flask`, { method: 'POST', headers: { 'x-honeycomb-team': KEYS.enterprise }, body: JSON.stringify({ query_id: q.id }) })).status !== 429);
  const later = await run(world, ['--hops', 'honeycomb,collector']);
  assert.is(later.code, 0, JSON.stringify(later.report.errors));
  assert.match(later.hop('honeycomb').evidence!, /Query Data API/, 'still by smoke id, once the quota is back');
});

t('polling a trace and a metric that never arrive, for a whole minute, stays within 10 query results a minute across both datasets', async ({ world }) => {
  // A longer minute than the world's, so a minute of polling outlasts the client's own waits.
  const minuteMs = 6000;
  const slow = await startHoneycombFake({ minuteMs, keys: { [KEYS.enterprise]: { team: TEAM, environment: BOOTCAMP, type: 'configuration', enterprise: true } } });
  world.collector.setDeliver(false);
  try {
    const { hop } = await run(world, ['--hops', 'collector,metrics', '--timeout', String((2 * minuteMs) / 1000)], { HONEYCOMB_API_ENDPOINT: slow.url }, { minuteMs });
    assert.not.ok(hop('collector').confirmed);
    assert.match(hop('collector').error!, /the smoke trace in Honeycomb dataset backend-flask|waiting for its confirmation/, hop('collector').error);
    assert.not.ok(hop('metrics').confirmed);
    assert.match(hop('metrics').error!, /the smoke metric in Honeycomb dataset cruddur-metrics|waiting for its confirmation/, hop('metrics').error);
    // Neither dataset exists in this new environment: each poll asks (a query), finds no dataset
    // yet, and creates no query result; it never takes that for "this key cannot query".
    const polls = slow.calls.filter((c) => c.startsWith('POST /1/queries/'));
    assert.ok(polls.filter((c) => c.includes('/backend-flask')).length >= 3 && polls.filter((c) => c.includes('/cruddur-metrics')).length >= 3, `it kept polling both: ${polls.join(', ')}`);
    assert.ok(slow.calls.filter((c) => c.startsWith('POST /1/query_results')).length <= QUERY_RESULTS_PER_MINUTE * 2);
    assert.is(slow.rateLimited, 0, 'no query result was refused');
  } finally {
    await slow.close();
  }
});

t('a key that may not query is confirmed by the dataset’s last write, one hop at a time', async ({ world }) => {
  const { code, hop } = await run(world, ['--hops', 'honeycomb,collector'], { HONEYCOMB_API_KEY: KEYS.config });
  assert.is(code, 0);
  assert.match(hop('honeycomb').evidence!, /dataset backend-flask was written after the send/);
  assert.ok(hop('collector').confirmed);
});

t('an ingest key: accepted, but plainly not confirmable, naming the key that would', async ({ world }) => {
  const { code, hop } = await run(world, ['--hops', 'honeycomb,xray'], { HONEYCOMB_API_KEY: KEYS.ingest });
  assert.is(code, 1);
  assert.ok(hop('honeycomb').sent);
  assert.not.ok(hop('honeycomb').confirmed);
  assert.match(hop('honeycomb').error!, /accepted by Honeycomb, but this ingest key cannot read datasets.*configuration key for environment "bootcamp"/);
  assert.ok(hop('xray').confirmed, 'X-Ray is unaffected');
});

t('a collector that accepts but does not deliver is named as the broken hop', async ({ world }) => {
  world.collector.setDeliver(false);
  const { code, hop } = await run(world, []);
  assert.is(code, 1);
  assert.ok(hop('honeycomb').confirmed && hop('xray').confirmed, 'the direct hops work');
  assert.ok(hop('collector').sent);
  assert.not.ok(hop('collector').confirmed);
  assert.match(hop('collector').error!, /Timed out after 4s waiting for/);
  assert.match(hop('collector').cause!, /^the collector: it took the spans but did not deliver them/);
  assert.match(hop('backend').cause!, /^the collector: the backend exports through it/);
});

t('nothing delivered: neither destination confirms, by smoke id or by an older trace of the group', async ({ world }) => {
  // Earlier traces of backend-flask are in X-Ray and Honeycomb: only the smoke id may confirm.
  assert.ok((await run(world, ['--hops', 'xray,honeycomb'])).code === 0);
  world.collector.setDeliver(false);
  const { hop } = await run(world, ['--hops', 'collector', '--timeout', '2']);
  assert.not.ok(hop('collector').confirmed);
  assert.match(hop('collector').error!, /waiting for: the smoke trace in Honeycomb dataset backend-flask/, 'a count of 0 is no confirmation');
  assert.match(hop('collector').error!, /waiting for: trace 1-[0-9a-f]{8}-[0-9a-f]{24} in X-Ray group Cruddur/, 'another trace of the group is no confirmation');
});

t('nothing delivered, confirmed by the dataset’s last write: a write from before the send does not count', async ({ world }) => {
  assert.ok(world.honeycomb.datasets(KEYS.config).get('backend-flask')?.last_written_at, 'the dataset was written before');
  world.collector.setDeliver(false);
  const { hop } = await run(world, ['--hops', 'collector', '--timeout', '2'], { HONEYCOMB_API_KEY: KEYS.config });
  assert.not.ok(hop('collector').confirmed);
  assert.match(hop('collector').error!, /waiting for: the smoke trace in Honeycomb dataset backend-flask/);
});

t('a collector that is not running is reported as unreachable, with the fix', async ({ world }) => {
  const port = await closedPort();
  const { hop } = await run(world, ['--hops', 'collector'], { OTEL_COLLECTOR_URL: `http://127.0.0.1:${port}` });
  assert.not.ok(hop('collector').sent);
  assert.match(hop('collector').cause!, /the collector is not reachable at http:\/\/127\.0\.0\.1:\d+: start it \(docker compose up -d otel-collector\)/);
});

t('a backend that is not running is reported as unreachable', async ({ world }) => {
  const port = await closedPort();
  const { hop } = await run(world, ['--hops', 'backend'], { BACKEND_URL: `http://127.0.0.1:${port}` });
  assert.not.ok(hop('backend').sent);
  assert.match(hop('backend').error!, /nothing is listening at http:\/\/127\.0\.0\.1:\d+\/api\/activities\/home/);
  assert.match(hop('backend').cause!, /the backend is not reachable/);
});

t('data bound for the wrong environment fails the hop with both names, and nothing is sent', async ({ world }) => {
  const before = world.honeycomb.datasets(KEYS.otherEnv).size;
  const { hop } = await run(world, ['--hops', 'honeycomb'], { HONEYCOMB_API_KEY: KEYS.otherEnv });
  assert.not.ok(hop('honeycomb').sent);
  assert.match(hop('honeycomb').error!, /belongs to environment "test" of team "Cruddur Bootcamp", not "bootcamp" \(HONEYCOMB_ENVIRONMENT\)/);
  assert.is(world.honeycomb.datasets(KEYS.otherEnv).size, before, 'no test data landed in the wrong environment');
});

t('a key from the other region is recognised and the endpoint to set is named', async ({ world }) => {
  const eu = await startHoneycombFake({ keys: { [KEYS.eu]: { team: TEAM, environment: BOOTCAMP, type: 'configuration' } } });
  try {
    const { hop } = await run(world, ['--hops', 'honeycomb'], { HONEYCOMB_API_KEY: KEYS.eu }, { honeycombOtherRegion: eu.url });
    assert.match(hop('honeycomb').error!, new RegExp(`belongs to the other Honeycomb region: set HONEYCOMB_API_ENDPOINT=${eu.url}`));
  } finally {
    await eu.close();
  }
});

t('an X-Ray group whose filter does not select the service is named, with the filter that works', async ({ world }) => {
  world.xray.addGroup('Stale', 'service("backend-flask-3000-omenking-awsbootcampcrud-xyz.gitpod.io")');
  const { hop } = await run(world, ['--hops', 'xray', '--timeout', '1'], { XRAY_GROUP: 'Stale' });
  assert.ok(hop('xray').sent);
  assert.match(hop('xray').error!, /^the trace reached X-Ray as service "backend-flask", which group Stale's filter service\("backend-flask-3000-omenking-awsbootcampcrud-xyz\.gitpod\.io"\) does not select: set the filter to service\("backend-flask"\)/);
});

t('a trace X-Ray holds but has not indexed yet: the message says it is indexing, not that the filter is wrong', async ({ world }) => {
  world.xray.setIndexingDelay(60_000);
  const { hop } = await run(world, ['--hops', 'xray', '--timeout', '1']);
  assert.not.ok(hop('xray').confirmed);
  assert.match(hop('xray').error!, /^the trace reached X-Ray and group Cruddur's filter service\("backend-flask"\) selects it, but X-Ray had not indexed it within 1s/);
  assert.not.match(hop('xray').error!, /set the filter/, 'no fix for a filter that is right');
});

t('a filter the smoke cannot evaluate: the message says both possibilities, and claims neither', async ({ world }) => {
  world.xray.addGroup('Slow', 'service("backend-flask") AND responsetime > 0');
  world.xray.setIndexingDelay(60_000);
  const { hop } = await run(world, ['--hops', 'xray', '--timeout', '1'], { XRAY_GROUP: 'Slow' });
  assert.not.ok(hop('xray').confirmed);
  assert.match(hop('xray').error!, /more than the smoke can evaluate, so X-Ray may still be indexing it or the filter may not select service "backend-flask"/);
});

t('a destination that never confirms ends at the deadline with a clear message', async ({ world }) => {
  world.xray.setIndexingDelay(60_000);
  const started = Date.now();
  const { code, hop } = await run(world, ['--hops', 'xray', '--timeout', '1']);
  assert.is(code, 1);
  assert.ok(Date.now() - started < 4000, 'it stops at the deadline');
  assert.match(hop('xray').error!, /not indexed it within 1s|Timed out after 1s waiting for: trace 1-[0-9a-f]{8}-[0-9a-f]{24} in X-Ray group Cruddur/);
});

t('each run is independent: new smoke ids and trace ids every time', async ({ world }) => {
  const a = await run(world, ['--hops', 'xray']);
  const b = await run(world, ['--hops', 'xray']);
  assert.ok(a.hop('xray').confirmed && b.hop('xray').confirmed);
  assert.is.not(a.hop('xray').smokeId, b.hop('xray').smokeId);
  assert.is.not(a.hop('xray').traceId, b.hop('xray').traceId);
});

t('X-Ray access denied names the missing IAM action', async ({ world }) => {
  world.xray.deny('GetGroup');
  const { hop } = await run(world, ['--hops', 'xray']);
  assert.match(hop('xray').error!, /lack xray:GetGroup.*grant xray:GetGroup/);
});

t.run();

const cw = suite<{ world: World }>('npm run smoke with CLOUDWATCH_LOGS=true');
cw.before(async (ctx) => {
  ctx.world = await startWorld({ cloudwatchLogs: true });
});
cw.after(({ world }) => world.close());

cw('the logs hop is confirmed in Honeycomb and in the workspace’s CloudWatch Logs stream', async ({ world }) => {
  const { code, hop, output } = await run(world, ['--hops', 'logs'], { CLOUDWATCH_LOGS: 'true' });
  assert.is(code, 0, output);
  assert.match(hop('logs').evidence!, /found by smoke id in dataset backend-flask/);
  assert.match(hop('logs').evidence!, /found by smoke id in CloudWatch Logs group cruddur, stream cruddur-workspace/);
  const event = world.logs.events('cruddur').find((e) => e.message.includes(hop('logs').smokeId!));
  assert.is(JSON.parse(event!.message).attributes['app.smoke_id'], hop('logs').smokeId);
});

cw('with no Honeycomb key, the logs hop runs by default and is confirmed in CloudWatch Logs alone', async ({ world }) => {
  const { code, report, hop } = await run(world, [], { CLOUDWATCH_LOGS: 'true', HONEYCOMB_API_KEY: '' });
  assert.is(code, 0, JSON.stringify(report.errors));
  assert.equal(report.hops.map((h) => h.hop), ['xray', 'collector', 'backend', 'logs']);
  assert.match(hop('logs').evidence!, /^found by smoke id in CloudWatch Logs group cruddur/);
});

cw.run();
