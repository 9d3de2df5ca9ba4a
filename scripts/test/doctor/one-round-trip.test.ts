// The doctor's chained look-ups go out together: a request that only needs the previous answer
// to be read, not to be sent, arrives before that answer has left the server.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { honeycombBoardCheck } from '../../doctor/checks/honeycomb-board.ts';
import { honeycombDatasetCheck, honeycombMetricsCheck } from '../../doctor/checks/honeycomb-dataset.ts';
import { xrayRecentTraces } from '../../doctor/checks/xray-traces.ts';
import { KEYS } from '../../../testkit/honeycomb.ts';
import { startClouds } from '../world.ts';
import { runCheck } from './helpers.ts';

const LATENCY = 300;

/** True when the two arrived within the server's latency of each other: neither waited for the other's answer. */
const overlapped = (arrivals: { call: string; at: number }[], first: string, second: string) => {
  const a = arrivals.find((x) => x.call === first);
  const b = arrivals.find((x) => x.call === second);
  assert.ok(a && b, `both ${first} and ${second} were asked: ${arrivals.map((x) => x.call).join(', ')}`);
  return Math.abs(b!.at - a!.at) < LATENCY;
};

test('honeycomb.dataset asks /1/datasets without waiting for /1/auth', async () => {
  const clouds = await startClouds();
  try {
    clouds.honeycomb.addDataset(KEYS.config, 'backend-flask', new Date().toISOString());
    clouds.honeycomb.setLatency(LATENCY);
    const r = await runCheck(honeycombDatasetCheck, clouds.settings({ HONEYCOMB_API_KEY: KEYS.config }));
    assert.is(r.status, 'pass', r.detail);
    assert.ok(overlapped(clouds.honeycomb.arrivals, 'GET /1/auth', 'GET /1/datasets'));
  } finally {
    await clouds.close();
  }
});

// A key with every permission, in a new environment: no metrics and no board yet (a warning each).
for (const [check, call] of [[honeycombMetricsCheck, 'GET /1/datasets'], [honeycombBoardCheck, 'GET /1/boards']] as const) {
  test(`${check.id} asks ${call.slice(4)} without waiting for /1/auth`, async () => {
    const clouds = await startClouds();
    try {
      clouds.honeycomb.setLatency(LATENCY);
      const r = await runCheck(check, clouds.settings({ HONEYCOMB_API_KEY: KEYS.enterprise }));
      assert.is(r.status, 'warn', r.detail);
      assert.ok(overlapped(clouds.honeycomb.arrivals, 'GET /1/auth', call));
    } finally {
      await clouds.close();
    }
  });
}

test('aws.xray-traces asks for trace summaries without waiting for the group, and again only if its filter differs', async () => {
  const clouds = await startClouds();
  try {
    clouds.xray.setLatency(LATENCY);
    let r = await runCheck(xrayRecentTraces, clouds.settings());
    assert.ok(['pass', 'warn'].includes(r.status), r.detail);
    assert.ok(overlapped(clouds.xray.arrivals, '/GetGroup', '/TraceSummaries'));
    assert.equal([...clouds.xray.calls].sort(), ['/GetGroup', '/TraceSummaries'], 'the filter was the expected one: asked once');
    // A group with another filter: the early answer is not used, the group's own filter is asked.
    clouds.xray.calls.length = 0;
    clouds.xray.addGroup('Other', 'service("backend-flask") OR service("frontend-react-js")');
    r = await runCheck(xrayRecentTraces, clouds.settings({ XRAY_GROUP: 'Other' }));
    assert.equal([...clouds.xray.calls].sort(), ['/GetGroup', '/TraceSummaries', '/TraceSummaries']);
  } finally {
    await clouds.close();
  }
});

test.run();
