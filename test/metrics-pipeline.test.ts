// The notes' first question, answered: the host's memory (the collector's host_metrics
// receiver) and the backend's runtime (its SDK's metrics) reach Honeycomb through the real
// collector, into the metrics dataset named by the x-honeycomb-dataset header metrics need,
// and the board's metric queries name only fields those events have.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BOARD_QUERIES } from '../scripts/lib/honeycomb/board.ts';
import { startBackend, type Backend } from '../testkit/backend.ts';
import { startClouds, type Clouds } from '../testkit/clouds.ts';
import { startCollector, type Collector } from '../testkit/collector.ts';
import { missingColumns } from '../testkit/honeycomb-columns.ts';
import { KEYS } from '../testkit/honeycomb.ts';
import { closedPort, waitFor } from '../testkit/http.ts';

const t = suite<{ clouds: Clouds; collector: Collector; backend: Backend }>('metrics: the host and the backend, through the collector, into the metrics dataset');
t.before(async (ctx) => {
  ctx.clouds = await startClouds();
  ctx.collector = await startCollector({ honeycomb: { url: ctx.clouds.honeycomb.url, key: KEYS.enterprise } });
  ctx.backend = await startBackend({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: ctx.collector.url, OTEL_METRIC_EXPORT_INTERVAL: '1000' } });
});
t.after(async ({ clouds, collector, backend }) => {
  await backend?.stop();
  await collector?.close();
  await clouds?.close();
});

const events = (clouds: Clouds) => (clouds.honeycomb.datasets(KEYS.enterprise).get('cruddur-metrics')?.events ?? []).map((e) => e.attributes);

t('the host’s memory in use arrives, from the host_metrics receiver, in dataset cruddur-metrics', async ({ clouds }) => {
  const used = await waitFor(() => events(clouds).find((e) => e['system.memory.usage'] !== undefined && e.state === 'used'), 15_000, 'the host’s memory in Honeycomb');
  assert.ok(Number(used['system.memory.usage']) > 0);
  assert.ok(events(clouds).some((e) => e['system.cpu.load_average.1m'] !== undefined), 'the load average too');
  assert.not.ok(clouds.honeycomb.datasets(KEYS.enterprise).has('unknown_service'), 'metrics never fall into a dataset of their own');
});

t('the backend’s memory and event-loop delay arrive, marked as the backend’s', async ({ clouds, backend }) => {
  await backend.get('/api/activities/home');
  const rss = await waitFor(() => events(clouds).find((e) => e['process.memory.usage'] !== undefined && e['service.name'] === 'backend-flask'), 15_000, 'the backend’s memory');
  assert.ok(Number(rss['process.memory.usage']) > 10_000_000, 'an RSS in bytes');
  await waitFor(() => events(clouds).find((e) => e['nodejs.eventloop.delay.p99'] !== undefined && e['service.name'] === 'backend-flask'), 15_000, 'the backend’s event-loop delay');
});

t('the board’s metric queries name only fields those events have', async ({ clouds }) => {
  await waitFor(() => (events(clouds).some((e) => e['v8js.memory.heap.used'] !== undefined) ? true : undefined), 15_000, 'the heap metric');
  const fields = [...new Set(events(clouds).flatMap((e) => Object.keys(e)))];
  assert.ok(BOARD_QUERIES.some((q) => q.service === 'metrics'));
  assert.equal(missingColumns(BOARD_QUERIES, 'metrics', [], fields), {});
});

t('the doctor says the metrics dataset is being written, and when it is not', async ({ clouds }) => {
  const { runCheck } = await import('../scripts/test/doctor/helpers.ts');
  const { honeycombMetricsCheck } = await import('../scripts/doctor/checks/honeycomb-dataset.ts');
  const r = await runCheck(honeycombMetricsCheck, clouds.settings());
  assert.is(r.status, 'pass', r.detail);
  assert.match(r.detail, /^dataset "cruddur-metrics" written \d+ s ago/);
  const none = await runCheck(honeycombMetricsCheck, clouds.settings({ HONEYCOMB_METRICS_DATASET: 'never-written' }));
  assert.is(none.status, 'warn');
  assert.match(none.detail, /no metrics in dataset "never-written" of environment "bootcamp" yet/);
  assert.match(none.fix!, /docker compose up -d otel-collector/);
});

t.run();

const down = suite('metrics with the collector down');

down('the backend’s metrics add nothing to its one warning, and requests keep their speed', async () => {
  const backend = await startBackend({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await closedPort()}`, OTEL_METRIC_EXPORT_INTERVAL: '300', OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_EXPORTER_OTLP_TIMEOUT: '300' } });
  try {
    for (let i = 0; i < 10; i++) assert.is((await backend.get('/api/activities/home')).status, 200);
    await waitFor(() => (backend.logs.some((l) => l.level === 'warn') ? true : undefined), 10_000, 'the export warning');
    for (let i = 0; i < 10; i++) assert.is((await backend.get('/api/activities/home')).status, 200);
    await new Promise((r) => setTimeout(r, 2500)); // several more exports of each, all failing
    const warnings = backend.logs.filter((l) => l.level === 'warn');
    assert.is(warnings.length, 1, JSON.stringify(warnings));
    assert.match(String(warnings[0]!.msg), /^(trace|metric) export is failing: .*spans/);
  } finally {
    await backend.stop();
  }
});

down.run();
