// The workspace start in one process (harness.ts): no key, so the local pipeline, hop by hop: the
// front end's /api, its /v1/traces, and the backend's spans counted at the collector.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { KEYS } from '../../../../testkit/honeycomb.ts';
import { NO_KEY, renderVerdict } from '../../../workspace-start.ts';
import { HEALTHY, start, section, LOCAL_LINES, CANARY_SPANS, NO_BROWSER_NOTE } from './harness.ts';

const local = section('no key: the local pipeline, hop by hop');

local('a laptop, the stack healthy: three lines confirmed, the command that adds the key, kept as JSON and text, logged, and no banner in the user’s own shell', async (ctx) => {
  const r = await start(ctx, {});
  assert.is(r.code, 0, r.saidText);
  const v = r.verdict!;
  assert.equal(v.lines, LOCAL_LINES(ctx, 2 + CANARY_SPANS));
  assert.equal([v.ok, v.mode, v.host, v.next, v.frontend, v.notes], [true, 'local', 'local', NO_KEY, undefined, [NO_BROWSER_NOTE]]);
  assert.is(NO_KEY, "No HONEYCOMB_API_KEY yet: run  npm run setup  (it asks, checks and saves it), then  npm run smoke. Until then, npm run board:local answers the week's questions from what the collector keeps here");
  assert.ok(v.verdictMs >= v.stackMs! && v.stackMs! >= 0 && v.verdictMs < 60_000, JSON.stringify(v));
  assert.ok(Date.now() - Date.parse(v.startedAt) < 10_000 && Date.now() >= Date.parse(v.startedAt));
  assert.equal(JSON.parse(r.saved), v, 'verdict.json is the verdict');
  assert.is(r.verdictTxt, `${renderVerdict(v)}\n`);
  assert.ok(r.log.endsWith(`${renderVerdict(v)}\n`), 'the log ends with the verdict');
  assert.equal(r.said.slice(0, 2), ['== this machine: starting the stack', '  saved CRUDDUR_LOCAL_FILES=on in .env: the collector also keeps what it receives in .cruddur/telemetry (npm run board:local asks the week\'s questions of it)']);
  assert.ok(r.said.includes('== docker compose up -d --wait') && r.said.includes('== the verdict: the local pipeline, through the running stack'), r.saidText);
  assert.is(r.log, `${r.said.join('\n')}\n`, 'everything said is logged, in order');
  assert.equal(r.cli.state().calls, [['docker', 'compose', 'ps', '--format', 'json'], ['docker', 'compose', 'up', '-d', '--wait', '--wait-timeout', '300']]);
  assert.not.ok(existsSync(join(r.home, '.bashrc')), 'a laptop’s shell is the user’s own');
  // The canary's request carries a trace context whose trace the canary names.
  const api = ctx.stack.seen.find((s) => s.url === '/api/activities/home')!;
  assert.match(String(api.headers.traceparent), /^00-[0-9a-f]{32}-00f067aa0ba902b7-01$/);
});

local('FRONTEND_SERVER_URL with trailing slashes: the same paths, no doubled slash', async (ctx) => {
  const r = await start(ctx, { FRONTEND_SERVER_URL: `${ctx.stack.url}//` });
  assert.is(r.code, 0, r.verdictTxt);
  assert.equal(ctx.stack.seen.map((s) => s.url).filter((u) => !u.startsWith('/metrics')), ['/api/activities/home', '/v1/traces']);
});

local('each hop broken on its own: the line names the hop, what answered and where to look; the verdict fails', async (ctx) => {
  ctx.stack.plan.api = { status: 502, body: 'feed' };
  let r = await start(ctx, {});
  assert.is(r.code, 1);
  assert.equal(r.verdict!.lines[0], { ok: false, text: `browser origin → backend: ${ctx.stack.url}/api answered 502: the front end's proxy cannot reach the backend (docker compose logs backend-flask-ts)` });
  assert.equal([r.verdict!.ok, r.verdict!.lines[1]!.ok, r.verdict!.lines[2]!.ok], [false, true, true]);
  assert.match(r.verdictTxt, /: ✘ some hops are broken\n {2}✘ browser origin → backend: /);

  // A proxy that is not there: the dev server answers its own page, 200 and HTML, not the feed.
  ctx.stack.plan.api = { status: 200, body: 'page' };
  r = await start(ctx, {});
  assert.equal(r.verdict!.lines[0], { ok: false, text: `browser origin → backend: ${ctx.stack.url}/api answered 200: the front end's proxy cannot reach the backend (docker compose logs backend-flask-ts)` });

  ctx.stack.plan = { ...HEALTHY, traces: 400 };
  r = await start(ctx, {});
  assert.is(r.code, 1);
  assert.is(r.verdict!.lines[1]!.ok, false);
  assert.match(r.verdict!.lines[1]!.text, new RegExp(`^browser origin → collector: ${ctx.stack.url}/v1/traces refused it \\(.+\\): docker compose logs otel-collector$`));
  assert.equal(r.verdict!.lines[2], { ok: true, text: "backend → collector: the collector accepted 2 spans, the backend's among them" }, 'the canary was refused, so only the backend’s count');

  ctx.stack.plan = { ...HEALTHY, metrics: false };
  r = await start(ctx, {});
  assert.is(r.code, 1);
  assert.equal(r.verdict!.lines[2], { ok: false, text: `backend → collector: the collector's metrics (${ctx.stack.url}/metrics) did not answer (it answered 404): docker compose logs otel-collector` });
});

local('the backend’s spans arriving later (its batch’s delay), and a metrics read failing on the way: still confirmed', async (ctx) => {
  ctx.stack.plan = { ...HEALTHY, backendDelayMs: 700, failMetricsAt: [3] };
  const r = await start(ctx, {});
  assert.equal(r.verdict!.lines[2], { ok: true, text: `backend → collector: the collector accepted ${2 + CANARY_SPANS} spans, the backend's among them` }, r.verdictTxt);
});

local('a metrics address that takes the request and never answers: no answer in 3 s, said, and no wait after it', async (ctx) => {
  ctx.stack.plan = { ...HEALTHY, metrics: 'hang' };
  const started = Date.now();
  const r = await start(ctx, {});
  assert.ok(Date.now() - started < 8000, `${Date.now() - started} ms`);
  assert.match(r.verdict!.lines[2]!.text, new RegExp(`^backend → collector: the collector's metrics \\(${ctx.stack.url}/metrics\\) did not answer \\(.*time.*\\): docker compose logs otel-collector$`));
});

local('a key and no AWS credentials: still the local pipeline, and the next step is the credentials', async (ctx) => {
  const r = await start(ctx, { HONEYCOMB_API_KEY: KEYS.enterprise });
  assert.is(r.verdict!.mode, 'local');
  assert.is(r.verdict!.next, 'AWS credentials for X-Ray: npm run setup, then npm run smoke');
  assert.ok(r.said.includes('== the verdict: the local pipeline, through the running stack'));
});

local.run();
