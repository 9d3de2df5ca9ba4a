// npm run test:stack: the whole stack as users run it (docker-compose.yml, the Dockerfiles,
// the collector config and command), on a real Docker engine, with the collector's image
// the pinned image (or the builder's binary under its name) and its exporters pointed at the
// fakes (test/stack/compose.stack.yml).
import { execa } from 'execa';
import type { Browser } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ReceivedSpan } from '../../scripts/lib/otlp/decode.ts';
import { BOARD_QUERIES } from '../../scripts/lib/honeycomb/board.ts';
import { launchChromium } from '../../testkit/browser.ts';
import { missingColumns } from '../../testkit/honeycomb-columns.ts';
import { waitFor } from '../../testkit/http.ts';
import { runScript } from '../../testkit/cli.ts';
import { ensureBaseImages } from './base-images.ts';
import { ensureCollectorImage } from './collector-image.ts';
import { compose, ensureDiskSpace, ensureEngine, FAKES, freshTelemetry, lastLogs, PROJECT, ROOT, TELEMETRY, USER_ENV } from './stack.ts';
import { askHoneycomb, differences } from '../../testkit/board-agreement.ts';
import { KEYS } from '../../testkit/honeycomb.ts';
import { answerBoard } from '../../scripts/lib/local/board.ts';
import { openStore } from '../../scripts/lib/local/store.ts';
import { workspaceStart } from '../../scripts/workspace-start.ts';
import { mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

interface Ctx {
  ready?: Error;
  browser?: Browser;
}

type Span = ReceivedSpan & { dataset: string };
const log = (line: string) => console.log(line);
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const spans = async (): Promise<Span[]> => (await fetch(`${FAKES.inspect}/spans`)).json() as Promise<Span[]>;
const segments = async (): Promise<Record<string, any>[]> => (await fetch(`${FAKES.inspect}/xray`)).json() as Promise<Record<string, any>[]>;

/** waitFor, with a probe that fails (a service still starting) counting as "not yet". */
const until = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> =>
  waitFor(() => probe().catch(() => undefined), timeoutMs, what, 250);

/** The scripts as a user runs them from the workspace's terminal, against the published ports. */
const scriptEnv = {
  ...USER_ENV,
  HOME: '/nonexistent',
  HONEYCOMB_API_ENDPOINT: FAKES.honeycomb,
  AWS_ENDPOINT_URL_XRAY: FAKES.xray,
  AWS_ENDPOINT_URL_STS: FAKES.sts,
  AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: FAKES.logs,
};

const stack = suite<Ctx>('the stack in containers');

stack.before(async (ctx) => {
  const started = Date.now();
  try {
    log('== engine');
    await ensureEngine(log);
    await ensureDiskSpace(log);
    log('== base images');
    log(`  ${JSON.stringify(await ensureBaseImages(log))} (${seconds(started)})`);
    log('== the collector image');
    log(`  ${await ensureCollectorImage(log)} (${seconds(started)})`);
    log('== docker compose build (dev targets, the fakes)');
    await compose(['build'], { timeout: 1_200_000 });
    log(`  built (${seconds(started)})`);
    log('== docker build --target prod (backend, front end; their dependency layers are cached from dev)');
    await Promise.all(
      (['backend-flask-ts', 'frontend-react-js'] as const).map((service) =>
        execa('docker', ['build', '-q', '--target', 'prod', '-t', `${PROJECT}/${service}:prod`, '-f', `${service}/Dockerfile`, '.'], { cwd: ROOT, env: { DOCKER_BUILDKIT: '0' }, timeout: 1_200_000 }),
      ),
    );
    log(`  built (${seconds(started)})`);
    freshTelemetry(log);
    const up = Date.now();
    // Compose v2's own wait: every service healthy (or running, without a health check).
    await compose(['up', '-d', '--wait', '--wait-timeout', '240']);
    await until('the collector health check', async () => ((await fetch('http://127.0.0.1:13133/')).ok ? true : undefined));
    log(`== time to a healthy stack: ${seconds(up)} after docker compose up (${seconds(started)} in all, builds included)`);
  } catch (err) {
    ctx.ready = err as Error;
    log(`the stack did not start: ${(err as Error).message}\n${await lastLogs().catch(() => '')}`);
  }
});

stack.after(async (ctx) => {
  await ctx.browser?.close();
  await execa('docker', ['rm', '-f', `${PROJECT}-backend-prod`, `${PROJECT}-frontend-prod`], { reject: false });
  await compose(['down', '-v', '--remove-orphans'], { reject: false });
});

/**
 * A test of the running stack: fails with the start-up's reason when the stack never came up,
 * and prints the services' last log lines when it fails.
 */
function lane(name: string, body: (ctx: Ctx) => Promise<void>) {
  stack(name, async (ctx) => {
    if (ctx.ready) throw ctx.ready;
    try {
      await body(ctx);
    } catch (err) {
      log(`\n-- "${name}" failed; the services' last log lines:\n${await lastLogs(20).catch(() => '')}`);
      throw err;
    }
  });
}

lane('the collector runs the project config and command, with no deprecated component', async (ctx) => {
  const logs = (await compose(['logs', '--no-color', 'otel-collector'])).stdout;
  assert.match(logs, /Everything is ready/);
  assert.not.match(logs, /deprecated/);
});

lane('npm run smoke confirms all seven hops through the containers, the browser’s journey among them', async (ctx) => {
  const { code, stdout, stderr } = await runScript('scripts/smoke/main.ts', ['--json', '--timeout', '150'], scriptEnv);
  const report = JSON.parse(stdout) as { ok: boolean; hops: { hop: string; confirmed: boolean; error?: string }[] };
  assert.equal(
    report.hops.map((h) => `${h.hop}: ${h.confirmed ? 'confirmed' : h.error}`),
    ['honeycomb', 'xray', 'collector', 'backend', 'logs', 'metrics', 'browser'].map((h) => `${h}: confirmed`),
    stderr,
  );
  assert.is(code, 0);
});

lane('X-Ray holds the annotations under the names the smoke and the doctor query', async (ctx) => {
  const annotated = (await segments()).filter((s) => s.annotations);
  assert.ok(annotated.length > 0, 'no annotated segment reached the X-Ray fake');
  const keys = new Set(annotated.flatMap((s) => Object.keys(s.annotations)));
  assert.ok(keys.has('app_smoke_id'), [...keys].join(', '));
  assert.not.ok([...keys].some((k) => k.includes('.')), `a dotted key: ${[...keys].join(', ')}`);
});

lane('npm run doctor passes the cloud and stack groups against the containers', async (ctx) => {
  const { stdout, stderr } = await runScript('scripts/doctor/main.ts', ['--json', '--only', 'honeycomb,aws,stack'], scriptEnv);
  const results = (JSON.parse(stdout) as { checks: { id: string; status: string; detail: string }[] }).checks;
  const failed = results.filter((r) => r.status === 'fail').map((r) => `${r.id}: ${r.detail}`);
  assert.equal(failed, [], stderr);
  assert.ok(results.some((r) => r.id.startsWith('stack.') && r.status === 'pass'));
});

lane('the backend’s logs reach Honeycomb and CloudWatch Logs through the collector container, with trace ids', async () => {
  const res = await fetch('http://127.0.0.1:4567/api/activities/@stacklogs');
  assert.is(res.status, 200);
  const inHoneycomb = await until('the request’s log record in Honeycomb', async () =>
    (await spans()).find((e) => e.dataset === 'backend-flask' && (e.attributes as Record<string, unknown>).path === '/api/activities/@stacklogs'),
  );
  const traceId = String((inHoneycomb.attributes as Record<string, unknown>)['trace.trace_id']);
  assert.match(traceId, /^[0-9a-f]{32}$/);
  let retention: number | undefined;
  const event = await until('the log event in CloudWatch Logs', async () => {
    const groups = (await (await fetch(`${FAKES.inspect}/logs`)).json()) as Record<string, { retentionInDays?: number; events: { message: string; logStreamName: string }[] }>;
    retention = groups.cruddur?.retentionInDays;
    return groups.cruddur?.events.find((e) => e.message.includes(traceId));
  });
  assert.is(retention, 3);
  assert.is(event.logStreamName, 'cruddur-workspace', 'the workspace’s own stream (the doctor writes to its own)');
});

lane('the host’s memory and the backend’s runtime reach Honeycomb’s metrics dataset through the collector container, and the board’s metric queries name their fields', async () => {
  // Every 30 s from each (the collector's collection_interval, the backend's export interval).
  // In cruddur-metrics at all means the x-honeycomb-dataset header came: the fake refuses
  // metrics without it, as Honeycomb does.
  const metrics = async () => (await spans()).filter((e) => e.dataset === 'cruddur-metrics').map((e) => e.attributes as Record<string, unknown>);
  const used = await until('the host’s memory in use', async () => (await metrics()).find((e) => e['system.memory.usage'] !== undefined && e.state === 'used'), 90_000);
  assert.ok(Number(used['system.memory.usage']) > 0);
  await until('the backend’s memory and event-loop delay', async () => {
    const backend = (await metrics()).filter((e) => e['service.name'] === 'backend-flask');
    return backend.some((e) => e['process.memory.usage'] !== undefined) && backend.some((e) => e['nodejs.eventloop.delay.p99'] !== undefined) ? true : undefined;
  }, 90_000);
  await until('the heap metric', async () => ((await metrics()).some((e) => e['v8js.memory.heap.used'] !== undefined) ? true : undefined), 90_000);
  const fields = [...new Set((await metrics()).flatMap((e) => Object.keys(e)))];
  assert.equal(missingColumns(BOARD_QUERIES, 'metrics', [], fields), {});
});

lane('one click in the containerized front end is one trace, through the collector, joined with the backend', async (ctx) => {
  ctx.browser = await launchChromium();
  const page = await ctx.browser.newPage();
  const origins = new Set<string>();
  page.on('request', (r) => origins.add(new URL(r.url()).origin));
  await page.goto('http://127.0.0.1:3000/');
  await page.getByTestId('activity').first().waitFor({ timeout: 30_000 });
  await page.getByRole('link', { name: 'Notifications' }).click();
  await page.getByText('I am white unicorn').waitFor();
  const click = await until('the click span in Honeycomb', async () => (await spans()).find((s) => s.dataset === 'frontend-react-js' && s.name.startsWith('click') && /Notifications/.test(JSON.stringify(s.attributes))));
  const trace = await until('the backend span in the click trace', async () => {
    const all = (await spans()).filter((s) => s.traceId === click.traceId);
    return all.some((s) => s.dataset === 'backend-flask' && /notifications/.test(s.name)) ? all : undefined;
  });
  assert.ok(trace.some((s) => s.dataset === 'frontend-react-js' && s.name.startsWith('navigate')), trace.map((s) => s.name).join(', '));
  assert.equal([...origins], ['http://127.0.0.1:3000'], 'the page called another origin');
  await page.close();
});

lane('a journey through the containers: the local board answers from the collector’s files what Honeycomb answers for the same spans', async (ctx) => {
  const MINUTE = 60_000; // the lane's Honeycomb fake keeps Honeycomb's minute (testkit/fakes-server.ts)
  const DATASETS = { backend: 'backend-flask', frontend: 'frontend-react-js', metrics: 'cruddur-metrics' };
  // The questions are asked of this journey alone: each spec's time_range cut to start here.
  const from = Date.now();
  await new Promise((r) => setTimeout(r, 1500));
  ctx.browser ??= await launchChromium();
  const page = await ctx.browser.newPage();
  await page.goto('http://127.0.0.1:3000/');
  await page.getByTestId('activity').first().waitFor({ timeout: 30_000 });
  for (const name of ['Notifications', 'Messages', 'Home']) {
    await page.getByRole('link', { name }).first().click();
    await page.waitForLoadState('networkidle');
  }
  for (let i = 0; i < 10; i++) await (await fetch(`http://127.0.0.1:4567/api/activities/${i % 2 ? 'home' : '@andrewbrown'}`)).arrayBuffer();
  await page.close({ runBeforeUnload: true });
  // The Query Data API counts whole minutes: wait for the journey's minute to close, and its spans to be sent.
  const closed = Math.ceil(Date.now() / MINUTE) * MINUTE + 10_000;
  log(`  waiting ${((closed - Date.now()) / 1000).toFixed(0)} s for the journey's minute to close`);
  await new Promise((r) => setTimeout(r, closed - Date.now()));
  const found: string[] = [];
  const diffs: string[] = [];
  for (const q of BOARD_QUERIES) {
    let remote;
    let spec;
    do {
      const end = Math.floor(Date.now() / MINUTE) * MINUTE;
      spec = { ...q.spec, time_range: Math.floor((end - from) / 1000) };
      remote = await askHoneycomb(FAKES.honeycomb, KEYS.enterprise, DATASETS[q.service], spec, MINUTE);
      if (remote.endMs === end) break;
    } while (true);
    const store = await openStore(TELEMETRY);
    try {
      const [local] = await answerBoard(store, DATASETS, { now: new Date(remote.endMs), queries: [{ ...q, spec }] });
      // A column Honeycomb has not seen (no errored span yet) is no answer there, and none here.
      if (remote.refused) log(`  ${q.name}: Honeycomb has no answer yet (${remote.refused})`);
      diffs.push(...differences(q, local!, remote.rows).map((d) => `${q.name}: ${d}`));
      if (remote.rows.length) found.push(q.name);
    } finally {
      store.close();
    }
  }
  log(`  answered alike, with data: ${found.join('; ')}`);
  assert.equal(diffs, []);
  for (const name of ['P90 latency per route', 'Most-used actions', 'Host memory in use', 'Backend memory (RSS)']) assert.ok(found.includes(name), `${name} had data from the journey: ${found.join(', ')}`);
});

lane('the prod targets run: the backend as a non-root user, the front end on nginx proxying /api and /v1/traces', async (ctx) => {
  const network = `${PROJECT}_default`;
  await execa('docker', ['run', '-d', '--name', `${PROJECT}-backend-prod`, '--network', network, '-e', 'OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector:4318', `${PROJECT}/backend-flask-ts:prod`]);
  const uid = (await execa('docker', ['exec', `${PROJECT}-backend-prod`, 'id', '-u'])).stdout.trim();
  assert.is.not(uid, '0');
  await until('the prod backend to be healthy', async () => ((await execa('docker', ['inspect', '--format', '{{.State.Health.Status}}', `${PROJECT}-backend-prod`])).stdout.trim() === 'healthy' ? true : undefined), 60_000);

  await execa('docker', ['run', '-d', '--name', `${PROJECT}-frontend-prod`, '--network', network, '-p', '3001:3000', `${PROJECT}/frontend-react-js:prod`]);
  const index = await until('nginx to serve the app', async () => {
    const res = await fetch('http://127.0.0.1:3001/notifications');
    return res.ok ? res.text() : undefined;
  });
  assert.match(index, /<div id="root">/);
  const api = await fetch('http://127.0.0.1:3001/api/activities/home');
  assert.is(api.status, 200);
  const otlp = await fetch('http://127.0.0.1:3001/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resourceSpans":[]}' });
  assert.is(otlp.status, 200, 'nginx did not reach the collector');
});

async function latencyMs(n: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch('http://127.0.0.1:4567/api/activities/home');
    await res.arrayBuffer();
    assert.is(res.status, 200);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(n / 2)]!;
}

lane('with the collector stopped the backend keeps its speed, and spans flow again once it is back', async (ctx) => {
  const before = await latencyMs(20);
  await compose(['stop', 'otel-collector']);
  const during = await latencyMs(20);
  assert.ok(during < before + 20, `median ${during.toFixed(1)} ms with the collector down, ${before.toFixed(1)} ms before`);
  await compose(['start', 'otel-collector']);
  await until('the collector health check', async () => ((await fetch('http://127.0.0.1:13133/')).ok ? true : undefined), 60_000);
  const marker = `after-restart-${Date.now()}`;
  await fetch(`http://127.0.0.1:4567/api/activities/@${marker}`);
  await until('a backend span sent after the restart', async () => (await spans()).find((s) => s.dataset === 'backend-flask' && JSON.stringify(s.attributes).includes(marker)), 30_000);
});

/** A workspace start as a host runs it, against this engine: its compose files and project by the standard variables. */
async function laneStart(env: Record<string, string | undefined>, composeFile: string, project: string) {
  const home = mkdtempSync(join(tmpdir(), 'cruddur-lane-home-'));
  const dir = join(home, 'start');
  // HOME last: the scripts' test env points HOME nowhere, and the start writes the banner line to ~/.bashrc.
  // DOCKER_CONFIG: with another HOME the docker CLI would look for this user's compose plugin there.
  // CRUDDUR_LOCAL_FILES in the environment: the start then leaves the checkout's .env alone.
  const full = { PATH: process.env.PATH, COMPOSE_FILE: composeFile, COMPOSE_PROJECT_NAME: project, DOCKER_BUILDKIT: '0', DOCKER_CONFIG: process.env.DOCKER_CONFIG || join(homedir(), '.docker'), CRUDDUR_LOCAL_FILES: 'on', CRUDDUR_UID: String(process.getuid?.() ?? 0), CRUDDUR_GID: String(process.getgid?.() ?? 0), ...env, HOME: home };
  return workspaceStart({ env: full, root: ROOT, dir, say: (l) => log(`  | ${l}`), ports: [] });
}

const NO_CLOUD = Object.fromEntries(Object.keys(scriptEnv).filter((k) => !/^(HONEYCOMB_API_KEY|AWS_)/.test(k)).map((k) => [k, (scriptEnv as Record<string, string>)[k]]));

lane('a workspace start from a stopped stack, with no cloud account: up --wait, then the local pipeline proven through the containers, a browser’s journey among it; timed', async () => {
  await compose(['stop']);
  const { code, verdict } = await laneStart({ ...NO_CLOUD, CODESPACES: 'true' }, 'docker-compose.yml:test/stack/compose.stack.yml', PROJECT);
  log(`== start → verdict (no key): stack healthy after ${(verdict!.stackMs! / 1000).toFixed(1)} s, verdict after ${(verdict!.verdictMs / 1000).toFixed(1)} s`);
  assert.is(code, 0, JSON.stringify(verdict));
  // The fourth: a journey in Chromium through the front end's container, joined in the collector container's files.
  assert.equal(verdict!.lines.map((l) => [l.ok, l.text.split(':')[0]]), [[true, 'browser origin → backend'], [true, 'browser origin → collector'], [true, 'backend → collector'], [true, 'browser → collector → backend']], verdict!.lines.map((l) => l.text).join('\n'));
});

lane('a workspace start with the key and credentials: the smoke’s hops through the containers are the verdict; timed', async () => {
  const { code, verdict } = await laneStart({ ...scriptEnv, CODESPACES: 'true' }, 'docker-compose.yml:test/stack/compose.stack.yml', PROJECT);
  log(`== start → verdict (smoke): stack healthy after ${(verdict!.stackMs! / 1000).toFixed(1)} s, verdict after ${(verdict!.verdictMs / 1000).toFixed(1)} s`);
  assert.is(verdict!.mode, 'remote');
  assert.is(code, 0, verdict!.lines.map((l) => l.text).join('\n'));
});

lane('Ona’s compose file: every service on the host network, and the local pipeline proven through it on localhost', async () => {
  await compose(['down', '--remove-orphans']);
  const project = `${PROJECT}-ona`;
  try {
    const { code, verdict } = await laneStart({ ...NO_CLOUD, GITPOD_ENVIRONMENT_ID: 'lane-ona' }, 'docker-compose.yml:.ona/docker-compose.ona.yml', project);
    assert.is(code, 0, verdict!.lines.map((l) => l.text).join('\n'));
    for (const service of ['backend-flask-ts', 'frontend-react-js', 'otel-collector']) {
      const id = (await execa('docker', ['compose', '-p', project, '-f', 'docker-compose.yml', '-f', '.ona/docker-compose.ona.yml', 'ps', '-q', service], { cwd: ROOT })).stdout.trim();
      assert.is((await execa('docker', ['inspect', '--format', '{{.HostConfig.NetworkMode}}', id])).stdout.trim(), 'host', service);
    }
  } finally {
    await execa('docker', ['compose', '-p', project, '-f', 'docker-compose.yml', '-f', '.ona/docker-compose.ona.yml', 'down', '--remove-orphans'], { cwd: ROOT, reject: false });
  }
});

stack.run();
