// The smoke in one process (harness.ts): the runner's verdicts, through every hop and confirmation,
// and the marker a run leaves on Honeycomb's graphs.
import * as assert from 'uvu/assert';
import { KEYS } from '../../../../testkit/honeycomb.ts';
import { addressProblem, type Settings } from '../../../lib/workspace/settings.ts';
import { silentTerm } from '../../../lib/terminal/term.ts';
import { logsHop } from '../../../smoke/hops/logs.ts';
import { metricsHop } from '../../../smoke/hops/metrics.ts';
import { preflight } from '../../../smoke/preflight.ts';
import type { HopResult } from '../../../smoke/result.ts';
import { NOWHERE, runHops } from '../../../smoke/runner.ts';
import { leaveMarker } from '../../../smoke/marker.ts';

import { MINUTE, NO_CLOUDS, run, section, settingsOf, status } from './harness.ts';

const runner = section('the runner’s verdicts');

runner('runner: a hop sent where nothing can look is not confirmed, in the runner’s words or its own, with no likely cause', async (c) => {
  const { results, output } = await run(settingsOf(c, NO_CLOUDS), ['collector', 'logs', 'metrics']);
  assert.equal(results.map((r) => [r.hop, r.sent, r.confirmed, r.error, r.cause, r.links]), [
    ['collector', true, false, NOWHERE, undefined, {}],
    ['logs', true, false, logsHop.nowhere, undefined, {}],
    ['metrics', true, false, metricsHop.nowhere, undefined, {}],
  ]);
  assert.is(NOWHERE, 'not confirmed: nowhere to look: no HONEYCOMB_API_KEY and no AWS credentials are set, so neither Honeycomb nor X-Ray can be asked whether the spans arrived. Save one (npm run setup), or run npm run smoke with no --hops for the local default');
  // Each hop's line as it is judged: its mark, sent or not, and its own time in seconds, then its trace id.
  const [, secs] = /^✘ collector sent, not confirmed in (\d+\.\d) s [0-9a-f]{32}$/m.exec(output) ?? [];
  assert.ok(Number(secs) < 2, `in seconds, within the run's 2 s: ${secs}`);
  assert.not.match(output, /Honeycomb:|X-Ray:/, 'no destination to name');
});

runner('runner: an address setting that is no http(s) URL is the hop’s error, with its fix and no likely cause, before anything is sent; a good one goes on', async (c) => {
  const { results, output } = await run(settingsOf(c, { OTEL_COLLECTOR_URL: 'localhost:4318', BACKEND_URL: ' http://b:4567', FRONTEND_SERVER_URL: 'ftp://f', CHROMIUM_PATH: '/bin/false' }), ['collector', 'logs', 'metrics', 'backend', 'browser']);
  // Judged before sending: no time spent, and no trace id to show.
  assert.ok(output.split('\n').includes('✘ logs      not sent, not confirmed in 0.0 s '), output);
  const collector = 'OTEL_COLLECTOR_URL is "localhost:4318" (environment), not an http(s) URL: set it to an address like http://localhost:4318';
  const backend = results[1]!;
  assert.equal(results.map((r) => [r.hop, r.sent, r.confirmed, r.error, r.cause]), [
    ['collector', false, false, collector, undefined],
    // A leading space: new URL() trims it, and so does fetch; the hop goes on, and fails on its own.
    ['backend', false, false, 'the host name b:4567 does not resolve (DNS): check the spelling of the URL for the backend, and that this workspace has network access', backend.cause],
    ['logs', false, false, collector, undefined],
    ['metrics', false, false, collector, undefined],
    ['browser', false, false, 'FRONTEND_SERVER_URL is "ftp://f" (environment), not an http(s) URL: set it to an address like http://localhost:3000', undefined],
  ]);
  assert.match(backend.cause!, /^the backend is not reachable at/, 'an address that is one: the hop’s own likely cause');
  assert.is(addressProblem({ name: 'OTEL_COLLECTOR_URL', value: 'https://c.example:4318/', source: '.env' }), undefined);
  assert.is(addressProblem({ name: 'SOMETHING_URL', value: 'nope', source: '.env' }), 'SOMETHING_URL is "nope" (.env), not an http(s) URL: set it to an http(s) URL');
});

runner('runner: confirmed hops, with their evidence, links and the destinations named first', async (c) => {
  const { results, output } = await run(settingsOf(c), ['honeycomb', 'xray']);
  const [h, x] = results;
  assert.equal([h!.sent, h!.confirmed, h!.error, h!.cause, x!.sent, x!.confirmed, x!.error, x!.cause], [true, true, undefined, undefined, true, true, undefined, undefined]);
  assert.is(h!.evidence, 'found by smoke id in dataset backend-flask (Query Data API)');
  assert.equal(Object.keys(h!.links), ['honeycomb']);
  assert.match(h!.links.honeycomb!, new RegExp(`/cruddur-bootcamp/environments/bootcamp/trace\\?trace_id=${h!.traceId}`));
  assert.equal(Object.keys(x!.links), ['xray']);
  assert.match(x!.links.xray!, /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/.*#xray:traces\/1-/);
  assert.match(output, /^Honeycomb: team Cruddur Bootcamp, environment bootcamp \(.*configuration key.*\)$/m);
  assert.match(output, /^X-Ray: group Cruddur in us-east-1, filter service\("backend-flask"\)$/m);
  assert.match(output, /^✔ honeycomb sent, confirmed in \d+\.\d s [0-9a-f]{32}$/m);
  assert.ok(h!.ms > 0 && h!.ms < 2000, `its own time: ${h!.ms}`);
  // A Classic environment has no name.
  const classic = await run(settingsOf(c, { HONEYCOMB_API_KEY: KEYS.classic, HONEYCOMB_ENVIRONMENT: '', AWS_ACCESS_KEY_ID: '' }), ['honeycomb']);
  assert.match(classic.output, /environment \(Classic\)/);
});

runner('runner: a failed hop gets its error and its likely cause; two failures are joined', async (c) => {
  c.stub.answer = status(400, 'bad');
  const { one } = await run(settingsOf(c), ['collector']);
  assert.equal([one.sent, one.confirmed], [false, false]);
  assert.match(one.error!, /^the collector at .* did not take the spans: /);
  assert.is(one.cause, `the collector is not reachable at ${c.stub.url}: start it (docker compose up -d otel-collector) or set OTEL_COLLECTOR_URL`);
  c.stub.answer = status(200, '{}');
  const both = await run(settingsOf(c), ['collector'], 500);
  assert.equal([both.one.sent, both.one.confirmed, both.one.evidence], [true, false, undefined]);
  assert.is(both.one.error, 'Timed out after 0.5s waiting for: the smoke trace in Honeycomb dataset backend-flask; Timed out after 0.5s waiting for: trace ' + `1-${both.one.traceId!.slice(0, 8)}-${both.one.traceId!.slice(8)} in X-Ray group Cruddur`);
  assert.is(both.one.cause, 'the destinations themselves: the direct hops failed too (see honeycomb and xray)');
  assert.ok(both.one.links.honeycomb && both.one.links.xray, 'links to both, to look by hand');
});

runner('runner: half confirmed is not confirmed, and the evidence that was found is kept', async (c) => {
  // The stub stands where the collector is and hands the spans to Honeycomb only, as a collector
  // whose X-Ray exporter lost its credentials would.
  c.stub.answer = (req, res) => {
    const body = c.stub.seen.at(-1)!.body;
    void fetch(`${c.clouds.honeycomb.url}/v1/traces`, { method: 'POST', headers: { 'content-type': String(req.headers['content-type']), 'x-honeycomb-team': KEYS.enterprise }, body: Buffer.from(body, 'latin1') }).then(() => res.end('{}'));
  };
  const { one } = await run(settingsOf(c), ['collector'], 800);
  assert.equal([one.sent, one.confirmed], [true, false]);
  assert.is(one.evidence, 'found by smoke id in dataset backend-flask (Query Data API)');
  assert.match(one.error!, /^Timed out after 0\.8s waiting for: trace 1-[0-9a-f]{8}-[0-9a-f]{24} in X-Ray group Cruddur$/);
  assert.is(one.cause, 'the destinations themselves: the direct hops failed too (see honeycomb and xray)');
});

runner('runner: the deadline, before sending and while a send hangs, in words that say which', async (c) => {
  c.clouds.honeycomb.setMode('hang');
  const pre = await run(settingsOf(c), ['honeycomb', 'collector'], 400);
  assert.equal(pre.results.map((r) => [r.hop, r.sent, r.confirmed, r.ms, r.error]), [
    ['honeycomb', false, false, 400, "Timed out after 0.4s before sending: Honeycomb's /1/auth or X-Ray's GetGroup did not answer (npm run doctor says which)"],
    ['collector', false, false, 400, "Timed out after 0.4s before sending: Honeycomb's /1/auth or X-Ray's GetGroup did not answer (npm run doctor says which)"],
  ]);
  c.clouds.honeycomb.setMode('ok');
  c.stub.answer = () => {}; // never answers
  const started = performance.now();
  const hung = await run(settingsOf(c, NO_CLOUDS), ['collector'], 400);
  assert.is(hung.one.error, 'Timed out after 0.4s waiting for its send to answer');
  assert.equal([hung.one.sent, hung.one.confirmed, hung.one.links], [false, false, {}]);
  assert.ok(performance.now() - started < 400 + 1500, 'within the grace');
});

runner('runner: links by signal (a metric links its dataset), X-Ray’s only with credentials', async (c) => {
  const metrics = await run(settingsOf(c), ['metrics'], 400);
  assert.equal(Object.keys(metrics.one.links), ['honeycomb']);
  assert.match(metrics.one.links.honeycomb!, /\/cruddur-bootcamp\/environments\/bootcamp\/datasets\/cruddur-metrics\/home$/);
  const keyOnly = await run(settingsOf(c, { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }), ['collector'], 400);
  assert.equal(Object.keys(keyOnly.one.links), ['honeycomb']);
  const awsOnly = await run(settingsOf(c, { HONEYCOMB_API_KEY: '' }), ['collector'], 400);
  assert.equal(Object.keys(awsOnly.one.links), ['xray']);
});

runner('runner: the backend hop’s root span goes to the collector once the hop is judged', async (c) => {
  const { one } = await run(settingsOf(c, NO_CLOUDS), ['backend'], 1500);
  assert.is(one.error, NOWHERE);
  assert.equal(c.stub.seen.map((s) => [s.method, s.url]), [['GET', '/api/activities/home'], ['POST', '/v1/traces']]);
});

runner('runner: hops confirmed by one dataset’s last write go one at a time, and a hop still waiting its turn says so', async (c) => {
  c.stub.answer = () => {}; // the collector never answers: the first hop holds the dataset
  const { results } = await run(settingsOf(c, { ...NO_CLOUDS, HONEYCOMB_API_KEY: KEYS.config }), ['collector', 'logs'], 500);
  assert.equal(results.map((r) => [r.hop, r.sent, r.error]), [
    ['collector', false, 'Timed out after 0.5s waiting for its send to answer'],
    ['logs', false, "Timed out after 0.5s waiting for its turn to send (hops confirmed by the dataset's last write go one at a time)"],
  ]);
  assert.equal(c.stub.seen.map((s) => s.url), ['/v1/traces'], 'the logs hop never sent');
  // A key that may query finds each hop by its smoke id: no turns, each hop sends at once.
  c.stub.seen.length = 0;
  const queried = await run(settingsOf(c, { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }), ['collector', 'logs'], 500);
  const [collector, logs] = queried.results;
  assert.is(collector!.error, 'Timed out after 0.5s waiting for its send to answer');
  assert.match(logs!.error!, /^the collector at \S+\/v1\/logs did not take the log record: /, 'its own send, cut at the deadline');
  assert.equal(c.stub.seen.map((s) => s.url).sort(), ['/v1/logs', '/v1/traces']);
});

runner('runner: a hop that crashes is a verdict that names it, not a crash of the run', async (c) => {
  // A setting that is not there: what a bug in a hop would meet.
  const settings = { ...settingsOf(c, NO_CLOUDS), serviceName: undefined } as unknown as Settings;
  const { one } = await run(settings, ['collector'], 400);
  assert.equal([one.hop, one.sent, one.confirmed, one.links], ['collector', false, false, {}]);
  assert.match(one.error!, /^the collector hop crashed: .*reading 'value'.* \(a bug in the smoke: please report it\)$/);
});

runner('runner: progress while it waits names each hop’s stage and the time so far', async (c) => {
  const progress: string[] = [];
  const term = { ...silentTerm(), progress: (line: string) => void progress.push(line) };
  // The log record is taken at once, the spans after 600 ms: the logs hop is judged while the collector's still sends.
  c.stub.answer = (req, res) => void setTimeout(() => res.end('{}'), req.url === '/v1/logs' ? 0 : 600);
  await runHops(settingsOf(c, NO_CLOUDS), term, ['collector', 'logs'], 1000, { pollMs: 20, minuteMs: MINUTE });
  const told = progress.length;
  await new Promise((r) => setTimeout(r, 450));
  assert.is(progress.length, told, 'no progress once the run has returned');
  assert.ok(progress.some((l) => /^… collector: sending · logs: ✘ \(0\.\d s\)$/.test(l)), progress.join('\n'));
  assert.ok(progress.every((l) => /^… collector: \S+ · logs: \S+ \(\d+\.\d s\)$/.test(l)), progress.join('\n'));
});

runner('runner: the run’s marker goes on the service’s dataset, or on the whole environment’s graphs while that dataset does not exist yet (Honeycomb answers a marker on it 404)', async (c) => {
  const settings = settingsOf(c, { OTEL_SERVICE_NAME: 'brand-new-service' });
  const pf = await preflight(settings, AbortSignal.timeout(2000));
  const term = silentTerm();
  const sent = [{ hop: 'honeycomb', sent: true, confirmed: true } as HopResult];
  await leaveMarker(pf, settings, sent, Date.now(), term);
  const marker = c.clouds.honeycomb.config(KEYS.enterprise).markers.at(-1)!;
  assert.is(marker.dataset, '__all__');
  assert.match(term.lines.join('\n'), /^marker "smoke \S+ passed" left on the environment's graphs \(dataset brand-new-service does not exist yet\)$/m);
  c.clouds.honeycomb.addDataset(KEYS.enterprise, 'brand-new-service', new Date().toISOString());
  const again = silentTerm();
  await leaveMarker(pf, settings, sent, Date.now(), again);
  assert.is(c.clouds.honeycomb.config(KEYS.enterprise).markers.at(-1)!.dataset, 'brand-new-service');
  assert.match(again.lines.join('\n'), /^marker "smoke \S+ passed" left on dataset brand-new-service's graphs$/m);
});

runner.run();
