import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBackend, type Backend } from '../../testkit/backend.ts';
import { closedPort, waitFor } from '../../testkit/http.ts';
import { startOtlpReceiver } from '../../testkit/otlp-receiver.ts';

const FAILING = /trace export is failing/;

/** Sends `n` requests one after another and returns the slowest, in ms. */
async function slowest(be: Backend, n: number): Promise<number> {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const res = await be.get('/api/activities/home');
    assert.is(res.status, 200);
    await res.arrayBuffer();
    worst = Math.max(worst, performance.now() - started);
  }
  return worst;
}

const warnings = (be: Backend) => be.logs.filter((l) => l.level === 'warn' && FAILING.test(String(l.msg)));

/** An endpoint that is down but countable: it resets every connection, and counts them. */
async function resetting() {
  const state = { attempts: 0 };
  const server = createServer((socket) => {
    state.attempts++;
    socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { state, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('with the trace endpoint down, every request succeeds quickly and one warning is logged', async () => {
  const down = await resetting();
  const be = await startBackend({
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${down.port}`, OTEL_EXPORTER_OTLP_TIMEOUT: '300' },
  });
  try {
    // A first request pays for loading and compiling (over 250 ms once, with two other test
    // files running): what is measured is a warm server.
    await slowest(be, 5);
    assert.ok((await slowest(be, 40)) < 250, 'no request waits on the dead endpoint');
    await waitFor(() => (warnings(be).length ? true : undefined), 5000, 'the export warning');
    assert.ok((await slowest(be, 40)) < 250);
    // Several more batches fail after the warning: still one warning.
    const seen = down.state.attempts;
    for (let i = 0; i < 3; i++) {
      await be.get('/api/activities/home');
      await waitFor(() => (down.state.attempts > seen + i ? true : undefined), 5000, `failed export ${i + 1} after the warning`);
    }
    await be.stop();
    assert.is(warnings(be).length, 1, 'one warning, not one per batch');
    const w = warnings(be)[0]!;
    assert.is(w.endpoint, `http://127.0.0.1:${down.port}/v1/traces`);
    assert.match(String(w.fix), /npm run doctor/);
    assert.not.ok(be.logs.some((l) => l.level === 'error'), 'no errors logged');
    assert.is(be.stderr(), '', 'nothing on stderr');
  } finally {
    await be.stop();
    await down.close();
  }
});

test('with the trace endpoint hanging, requests are unaffected and recovery is reported', async () => {
  const rx = await startOtlpReceiver({ mode: 'hang' });
  const be = await startBackend({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_EXPORTER_OTLP_TIMEOUT: '300' } });
  assert.ok((await slowest(be, 40)) < 250, 'no request waits on the hung endpoint');
  await waitFor(() => (warnings(be).length ? true : undefined), 5000, 'the export warning');
  rx.setMode('ok');
  await be.get('/api/activities/home');
  const recovered = await waitFor(
    () => be.logs.find((l) => l.msg === 'trace export recovered'),
    5000,
    'the recovery line',
  );
  assert.ok(Number(recovered.dropped_spans) > 0, 'the recovery line counts what was dropped');
  await rx.waitForSpans((s) => s.name === 'home-activities-mock-data');
  await be.stop();
  assert.is(warnings(be).length, 1);
  await rx.close();
});

test('trace export never carries the key into the logs', async () => {
  const port = await closedPort();
  const key = 'hcaik_01hzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz';
  const be = await startBackend({
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_HEADERS: `x-honeycomb-team=${key}`,
      OTEL_EXPORTER_OTLP_TIMEOUT: '300',
    },
  });
  await be.get('/api/activities/home');
  await waitFor(() => (warnings(be).length ? true : undefined), 5000, 'the export warning');
  await be.stop();
  assert.not.ok(JSON.stringify(be.logs).includes(key.slice(6)));
  assert.not.ok(be.stderr().includes(key.slice(6)));
});

test.run();
