// The workspace start in one process (harness.ts): before the stack: dependencies, ports, compose.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import * as assert from 'uvu/assert';
import { closedPort, listen, type Running } from '../../../../testkit/http.ts';
import { fakeCli } from '../../../../testkit/fake-cli.ts';
import { NO_BROWSER } from '../../../../testkit/clouds.ts';
import { workspaceStart } from '../../../workspace-start.ts';
import { checkout, start, section } from './harness.ts';

const before = section('before the stack: dependencies, ports, compose');

before('node_modules older than the lockfile: npm ci, once, before compose; npm ci failing ends the start with its output and no compose', async (ctx) => {
  let r = await start(ctx, {}, { depsCurrent: false, tools: ['docker', 'npm'] });
  assert.is(r.code, 0, r.saidText);
  assert.equal(r.cli.state().calls![0], ['npm', 'ci', '--no-audit', '--no-fund']);
  assert.ok(r.said.includes('== npm ci (once; a second start reuses node_modules)'), r.saidText);
  r = await start(ctx, {}, { depsCurrent: false, tools: ['docker', 'npm'], cli: { engine: 'running', npmFails: 'npm ERR! code ECONNRESET' } });
  assert.is(r.code, 1);
  assert.equal([r.verdict!.mode, r.verdict!.lines], ['not started', [{ ok: false, text: 'npm ci failed (exit 1): see its output above' }]]);
  assert.ok(r.said.includes('  npm ERR! code ECONNRESET'), 'npm’s own words, indented, in what the start says');
  assert.not.ok(r.cli.state().calls!.some((c) => c[0] === 'docker'), 'nothing of the stack ran');
  assert.match(r.verdictTxt, /: ✘ the stack did not start\n {2}✘ npm ci failed \(exit 1\)/);
  // Current: no npm at all (a second start reuses node_modules), also when the marker is exactly as new as the lockfile.
  r = await start(ctx, {}, { tools: ['docker', 'npm'] });
  assert.not.ok(r.cli.state().calls!.some((c) => c[0] === 'npm'));
  assert.not.ok(r.said.some((l) => l.startsWith('== npm ci')));
  const same = checkout({ depsCurrent: false });
  utimesSync(join(same, 'package-lock.json'), new Date(0), new Date(0));
  r = await start(ctx, {}, { root: same, tools: ['docker', 'npm'] });
  assert.not.ok(r.cli.state().calls!.some((c) => c[0] === 'npm'), 'as new as the lockfile is current');
});

before('a command’s output, line by line and indented; blank lines left out', async (ctx) => {
  const r = await start(ctx, {}, { depsCurrent: false, tools: ['docker', 'npm'], cli: { engine: 'running', npmFails: 'npm ERR! first\n\n   \nnpm ERR! second' } });
  const at = r.said.indexOf('  npm ERR! first');
  assert.equal(r.said.slice(at, at + 2), ['  npm ERR! first', '  npm ERR! second'], r.saidText);
});

before('a port another program holds is named, with what to do, and compose never runs; the stack’s own running containers and Ona’s host-network services are not others', async (ctx) => {
  const squatters = await Promise.all([listen(() => {}), listen(() => {}), listen(() => {})]);
  const [a, b, c] = squatters.map((s) => s.port) as [number, number, number];
  const d = await closedPort();
  try {
    const cli = {
      engine: 'running' as const,
      containers: [
        // On Ona's host network the front end listens itself (no publishers): its own port, not another program's.
        // It also publishes b, which a docker-compose.override.yml may have given it: held by the stack.
        { Name: 'cruddur-frontend-react-js-1', Service: 'frontend-react-js', State: 'running', Env: [], Publishers: [{ URL: '127.0.0.1', TargetPort: 3000, PublishedPort: b, Protocol: 'tcp' }] },
        // A stopped container holds nothing: whatever listens on its port is another program.
        { Name: 'cruddur-backend-flask-ts-1', Service: 'backend-flask-ts', State: 'exited', Env: [], Publishers: [{ URL: '127.0.0.1', TargetPort: 4567, PublishedPort: c, Protocol: 'tcp' }] },
      ],
    };
    const r = await start(ctx, {}, { cli, ports: [[a, 'frontend-react-js'], [b, 'otel-collector'], [c, 'backend-flask-ts'], [d, 'otel-collector']] });
    assert.is(r.code, 1);
    assert.equal(r.verdict!.lines, [
      { ok: false, text: `port ${c} (backend-flask-ts) is already in use by another program: stop it (lsof -i :${c} names it), or publish backend-flask-ts elsewhere in a docker-compose.override.yml` },
    ]);
    assert.is(r.verdict!.mode, 'not started');
    assert.not.ok(r.cli.state().calls!.some((call) => call[2] === 'up'), 'compose up never ran');
    // With no container of the stack, each held port is named, in the stack's order.
    const none = await start(ctx, {}, { ports: [[b, 'frontend-react-js'], [d, 'otel-collector'], [a, 'otel-collector']] });
    assert.equal(none.verdict!.lines.map((l) => l.text.split(' is ')[0]), [`port ${b} (frontend-react-js)`, `port ${a} (otel-collector)`]);
  } finally {
    await Promise.all(squatters.map((s) => s.close()));
  }
});

before('with no ports given, the stack’s own: each port compose publishes, held by another program, is named with its service', async (ctx) => {
  // docker-compose.yml publishes these, on 127.0.0.1: the list the start must check before compose.
  const published = [[3000, 'frontend-react-js'], [4567, 'backend-flask-ts'], [4318, 'otel-collector'], [13133, 'otel-collector'], [8888, 'otel-collector']] as const;
  const squatted: Running[] = [];
  for (const [port] of published) squatted.push(...(await listen(() => {}, port).then((s) => [s], () => [])));
  try {
    assert.ok(squatted.length > 0, 'every port of the stack is already in use on this machine: this test cannot squat any');
    const root = checkout();
    const cli = fakeCli({ engine: 'running', containers: [] }, ['docker']);
    const said: string[] = [];
    const r = await workspaceStart({ env: { ...cli.env, HOME: root }, root, dir: join(root, '.cruddur', 'start'), say: (l) => said.push(l) });
    const named = r.verdict!.lines.map((l) => l.text.split(' is already')[0]);
    for (const s of squatted) assert.ok(named.includes(`port ${s.port} (${published.find(([p]) => p === s.port)![1]})`), `${s.port}: ${named.join('; ')}`);
    assert.not.ok(cli.state().calls!.some((call) => call[2] === 'up'));
  } finally {
    await Promise.all(squatted.map((s) => s.close()));
  }
});

before('compose up failing: its words in the log, the verdict says the stack did not start and which doctor checks say why; no docker at all says so', async (ctx) => {
  let r = await start(ctx, { REMOTE_CONTAINERS: 'true' }, { cli: { engine: 'running', upFails: 'service "otel-collector" is unhealthy' } });
  assert.is(r.code, 1);
  assert.equal(r.verdict!.lines, [{ ok: false, text: 'docker compose up failed (exit 1): its output is above; npm run doctor -- --only workspace,stack says what is missing' }]);
  assert.match(r.verdictTxt, /^Cruddur workspace start on VS Code Dev Containers, .*: ✘ the stack did not start/);
  assert.ok(r.said.includes('  service "otel-collector" is unhealthy'));
  assert.is(r.verdict!.stackMs, undefined);
  r = await start(ctx, {}, { tools: ['npm'] });
  assert.equal(r.verdict!.lines, [{ ok: false, text: 'docker compose up failed (docker is not installed): its output is above; npm run doctor -- --only workspace,stack says what is missing' }]);
  // Killed (the OOM killer's SIGKILL): said as such, not as "exit null".
  r = await start(ctx, {}, { cli: { engine: 'running', upSignal: 'SIGKILL' } });
  assert.equal(r.verdict!.lines, [{ ok: false, text: 'docker compose up failed (ended by SIGKILL): its output is above; npm run doctor -- --only workspace,stack says what is missing' }]);
  // A file named docker that is not a program (no execute bit): it could not be run, which is not "not installed".
  const bin = mkdtempSync(join(tmpdir(), 'cruddur-bin-'));
  writeFileSync(join(bin, 'docker'), '#!/bin/sh\n', { mode: 0o644 });
  r = await start(ctx, { PATH: bin });
  assert.equal(r.verdict!.lines, [{ ok: false, text: 'docker compose up failed (docker could not be run: EACCES): its output is above; npm run doctor -- --only workspace,stack says what is missing' }]);
});

before('the page’s service.version: APP_COMMIT as given, else the checkout’s short commit, else nothing', async (ctx) => {
  let r = await start(ctx, {}, { git: true });
  assert.is(r.cli.state().appCommit, execFileSync('git', ['rev-parse', '--short=7', 'HEAD'], { cwd: r.root }).toString().trim());
  assert.is(r.cli.state().appCommit!.length, 7);
  r = await start(ctx, { APP_COMMIT: 'abc1234' }, { git: true });
  assert.is(r.cli.state().appCommit, 'abc1234');
  r = await start(ctx, {});
  assert.is(r.cli.state().appCommit, '');
});

before('local files: CRUDDUR_LOCAL_FILES=on with this user’s ids saved once; a choice in the environment or in .env is kept', async (ctx) => {
  const r = await start(ctx, {});
  assert.ok(existsSync(join(r.root, '.cruddur', 'telemetry')));
  assert.equal(parseEnv(readFileSync(join(r.root, '.env'), 'utf8')), { CRUDDUR_LOCAL_FILES: 'on', CRUDDUR_UID: String(process.getuid!()), CRUDDUR_GID: String(process.getgid!()) });
  const again = await start(ctx, {}, { root: r.root });
  assert.not.ok(again.said.some((l) => l.includes('saved CRUDDUR_LOCAL_FILES')), 'said once');
  const fromEnv = await start(ctx, { CRUDDUR_LOCAL_FILES: 'off' });
  assert.not.ok(existsSync(join(fromEnv.root, '.env')));
  assert.ok(existsSync(join(fromEnv.root, '.cruddur', 'telemetry')), 'the folder compose mounts is there either way');
  const root = checkout();
  writeFileSync(join(root, '.env'), 'CRUDDUR_LOCAL_FILES=off\n');
  await start(ctx, {}, { root });
  assert.is(readFileSync(join(root, '.env'), 'utf8'), 'CRUDDUR_LOCAL_FILES=off\n');
  // .env that this user may not write (root-owned, say). The tests run as root, who may write
  // any file, so a file of /proc stands in: readable, and refused (EIO) when written.
  const blocked = checkout();
  symlinkSync('/proc/version', join(blocked, '.env'));
  const b = await start(ctx, {}, { root: blocked });
  assert.ok(b.said.some((l) => /^ {2}no local files: \.env could not be written \(E[A-Z]+\)$/.test(l)), b.saidText);
  assert.is(b.code, 0, 'the verdict still comes');
});

before('a start begins a new log, and empties the last verdict until its own (the banner shows the log meanwhile)', async (ctx) => {
  const root = checkout();
  const dir = join(root, '.cruddur', 'start');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'start.log'), 'a line of the last start\n');
  writeFileSync(join(dir, 'verdict.txt'), 'the last verdict\n');
  writeFileSync(join(dir, 'verdict.json'), '{"ok": true}\n');
  const meanwhile: string[] = [];
  const cli = fakeCli({ engine: 'running', containers: [] }, ['docker']);
  await workspaceStart({
    env: { ...cli.env, HOME: root, FRONTEND_SERVER_URL: ctx.stack.url, OTEL_COLLECTOR_METRICS_URL: `${ctx.stack.url}/metrics`, CHROMIUM_PATH: NO_BROWSER },
    root,
    dir,
    ports: [],
    say: (l) => void (l === '== docker compose up -d --wait' && meanwhile.push(readFileSync(join(dir, 'verdict.txt'), 'utf8'), readFileSync(join(dir, 'verdict.json'), 'utf8'))),
  });
  assert.equal(meanwhile, ['', '']);
  assert.not.match(readFileSync(join(dir, 'start.log'), 'utf8'), /the last start/);
  assert.match(readFileSync(join(dir, 'start.log'), 'utf8'), /^== this machine: starting the stack\n/);
  assert.match(readFileSync(join(dir, 'verdict.txt'), 'utf8'), /✔ the local pipeline works/);
});

before('with no say, the start prints to stdout: the host’s creation log', async (ctx) => {
  const root = checkout();
  const cli = fakeCli({ engine: 'running', containers: [] }, ['docker']);
  const printed: string[] = [];
  const log = console.log;
  console.log = (line: string) => void printed.push(line);
  try {
    await workspaceStart({ env: { ...cli.env, HOME: root, FRONTEND_SERVER_URL: ctx.stack.url, OTEL_COLLECTOR_METRICS_URL: `${ctx.stack.url}/metrics`, CHROMIUM_PATH: NO_BROWSER }, root, dir: join(root, 'start'), ports: [] });
  } finally {
    console.log = log;
  }
  assert.is(printed[0], '== this machine: starting the stack');
  assert.match(printed.at(-1)!, /^Cruddur workspace start on this machine, .*: ✔ the local pipeline works/);
});

before.run();
