// The workspace start in one process (harness.ts): with a key and credentials: the smoke is the verdict.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { closedPort } from '../../../../testkit/http.ts';
import { KEYS } from '../../../../testkit/honeycomb.ts';
import { startClouds } from '../../../../testkit/clouds.ts';
import { checkout, start, section, NO_BROWSER_NOTE } from './harness.ts';

const remote = section('with a key and credentials: the smoke is the verdict');
remote.before(async (ctx) => {
  ctx.clouds = await startClouds({ minuteMs: 100 });
});
remote.after(async ({ clouds }) => {
  await clouds?.close();
});

remote('each hop a line, confirmed with its evidence or not with its cause; one broken hop fails the verdict; the key never shown', async (ctx) => {
  // The stand-in takes spans as a collector would and delivers nothing: the direct hops are
  // confirmed at the fakes, the ones through the collector and the backend are not.
  const env = ctx.clouds.env({ OTEL_COLLECTOR_URL: ctx.stack.url, BACKEND_URL: ctx.stack.url, FRONTEND_SERVER_URL: ctx.stack.url });
  delete env.PATH;
  delete env.HOME;
  const r = await start(ctx, env, { smokeTimeoutS: 2, smokeOverrides: { pollMs: 20, minuteMs: 100 } });
  const v = r.verdict!;
  assert.is(v.mode, 'remote');
  assert.is(r.code, 1);
  assert.ok(r.said.includes('== the verdict: npm run smoke, every hop'), r.saidText);
  const byHop = new Map(v.lines.map((l) => [l.text.split(':')[0], l]));
  assert.equal([...byHop.keys()], ['honeycomb', 'xray', 'collector', 'backend', 'logs', 'metrics'], v.lines.map((l) => l.text).join('\n'));
  assert.match(byHop.get('honeycomb')!.text, /^honeycomb: confirmed \(.+\)$/);
  assert.is(byHop.get('honeycomb')!.ok, true);
  assert.match(byHop.get('collector')!.text, /^collector: not confirmed: .+ Likely: .+/);
  assert.is(byHop.get('collector')!.ok, false);
  assert.equal(v.notes, [NO_BROWSER_NOTE]);
  assert.is(v.next, undefined);
  assert.match(r.verdictTxt, /: ✘ some hops are broken\n/);
  assert.not.ok((r.saidText + r.log + r.saved).includes(KEYS.enterprise.slice(6)), 'the key is never printed or kept');
});

remote('a collector address that is no URL, and a browser that will not start: each hop’s line says so, with no likely cause for the address and no note', async (ctx) => {
  const env = ctx.clouds.env({ OTEL_COLLECTOR_URL: 'localhost:4318', BACKEND_URL: ctx.stack.url, FRONTEND_SERVER_URL: ctx.stack.url, CHROMIUM_PATH: '/bin/false' });
  delete env.PATH;
  delete env.HOME;
  const r = await start(ctx, env, { smokeTimeoutS: 2, smokeOverrides: { pollMs: 20, minuteMs: 100 } });
  const byHop = new Map(r.verdict!.lines.map((l) => [l.text.split(':')[0], l.text]));
  assert.is(byHop.get('collector'), 'collector: not confirmed: OTEL_COLLECTOR_URL is "localhost:4318" (environment), not an http(s) URL: set it to an address like http://localhost:4318');
  assert.match(byHop.get('browser')!, /^browser: not confirmed: no browser to walk the journey in: .+ Likely: no browser here: the other hops do not need one$/, byHop.get('browser'));
  assert.is(r.verdict!.notes, undefined, 'a browser was found: nothing to note');
});

remote('a key only in .env, echoed back by compose: masked in what the start says, logs and keeps', async (ctx) => {
  const root = checkout();
  writeFileSync(join(root, '.env'), `HONEYCOMB_API_KEY=${KEYS.enterprise}\n`);
  const r = await start(ctx, {}, { root, cli: { engine: 'running', upFails: `invalid interpolation: HONEYCOMB_API_KEY=${KEYS.enterprise}` } });
  assert.is(r.code, 1);
  assert.ok(r.said.some((l) => l.startsWith('  invalid interpolation: HONEYCOMB_API_KEY=') && l.includes('…')), r.saidText);
  assert.not.ok((r.saidText + r.log + r.saved + r.verdictTxt).includes(KEYS.enterprise.slice(6)));
});

remote('a password in FRONTEND_SERVER_URL: the address shown, the password never', async (ctx) => {
  const url = new URL(ctx.stack.url);
  url.username = 'student';
  url.password = 'hunter2-not-a-real-one';
  // Node's fetch refuses a URL with credentials, so the proof fails; what matters here is what is shown.
  const r = await start(ctx, { FRONTEND_SERVER_URL: url.href, OTEL_COLLECTOR_METRICS_URL: `http://127.0.0.1:${await closedPort()}/metrics` });
  assert.match(r.saidText, /student:\*\*\*@/);
  assert.not.ok((r.saidText + r.log + r.saved + r.verdictTxt).includes('hunter2'));
});

remote.run();
