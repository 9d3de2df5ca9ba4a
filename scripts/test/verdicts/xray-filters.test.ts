// Truth tables at the edges of the X-Ray verdicts students read, each row the nearest input on
// one side of an edge and the words it must give: group filters with NOT, AND, OR and
// parentheses, in the doctor's aws.xray-group and in the smoke's query.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { xrayGroup } from '../../doctor/checks/xray-group.ts';
import { confirmXray, type ConfirmContext } from '../../smoke/confirm.ts';
import { xrayHop } from '../../smoke/hops/xray.ts';
import { preflight } from '../../smoke/preflight.ts';
import { runCheck } from '../doctor/helpers.ts';
import { startClouds, type Clouds } from '../world.ts';

const xray = suite<{ clouds: Clouds }>('X-Ray group filters: NOT, AND, OR and parentheses, in the doctor and the smoke');
xray.before(async (ctx) => {
  ctx.clouds = await startClouds();
});
xray.after(({ clouds }) => clouds.close());

// [filter, the doctor's status]: the backend's service is backend-flask.
const FILTERS: [string, 'pass' | 'fail' | 'warn'][] = [
  ['service("backend-flask")', 'pass'],
  ['NOT service("backend-flask")', 'fail'],
  ['NOT service("other")', 'pass'],
  ['NOT NOT service("backend-flask")', 'pass'],
  ['service("other") OR service("backend-flask")', 'pass'],
  ['service("other") AND service("backend-flask")', 'fail'],
  ['NOT (service("other") OR service("backend-flask"))', 'fail'],
  ['NOT service("other") AND service("backend-flask")', 'pass'],
  // AND binds tighter than OR: backend-flask OR (b AND c) selects; read left to right it would not.
  ['service("backend-flask") OR service("b") AND service("c")', 'pass'],
  ['(service("backend-flask") OR service("b")) AND service("c")', 'fail'],
  ['service("backend-flask") and not service("other")', 'pass'],
  ['responsetime > 5', 'warn'],
];

for (const [filter, status] of FILTERS) {
  xray(`aws.xray-group with the filter ${filter}: ${status}`, async ({ clouds }) => {
    clouds.xray.addGroup('Cruddur', filter);
    const r = await runCheck(xrayGroup, clouds.settings());
    assert.is(r.status, status, r.detail);
    if (status === 'pass') assert.is(r.detail, `group "Cruddur" in us-east-1, filter ${filter}`);
    if (status === 'fail') assert.is(r.detail, `group "Cruddur"'s filter ${filter} does not select service "backend-flask".`);
    if (status === 'warn') assert.match(r.detail, /which this check cannot evaluate/);
  });
}

xray('the smoke’s query keeps the group’s filter in parentheses: under "A OR B", an older trace of A never confirms a trace that was not sent', async ({ clouds }) => {
  clouds.xray.addGroup('Cruddur', 'service("backend-flask") OR service("other")');
  const settings = clouds.settings();
  const context = async (): Promise<ConfirmContext> => {
    const signal = AbortSignal.timeout(1500);
    return { settings, preflight: await preflight(settings, signal), signal, pollMs: 20, startedMs: performance.now(), timeoutMs: 1500 };
  };
  // An earlier smoke's trace of backend-flask, with its own smoke id, in the group.
  const older = await context();
  const sent = await xrayHop.send(older);
  assert.is(sent.error, undefined);
  assert.is((await confirmXray(older, sent.smokeId, sent.traceId, sent.sentAt)).ok, true, 'the older trace itself is found');
  const never = await confirmXray(await context(), 'smoke-xray-never-sent', 'c'.repeat(32), Date.now());
  assert.is(never.ok, false, 'the smoke id of a trace that was never sent is not "found"');
  assert.match(never.error!, /^Timed out after 1.5s waiting for: trace 1-cccccccc-c{24} in X-Ray group Cruddur$/);
});

xray.run();
