import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { workspaceSecrets } from '../../../doctor/checks/workspace-secrets.ts';
import { fingerprint } from '../../../lib/terminal/secrets.ts';
import { loadSettings } from '../../../lib/workspace/settings.ts';
import { fakeCli } from '../../../../testkit/fake-cli.ts';
import { KEYS } from '../../../../testkit/honeycomb.ts';
import { runCheck } from '../helpers.ts';

const OLD = KEYS.ingest;
const NEW = KEYS.config;
const collector = (key: string) => ({ Name: 'week2-otel-collector-1', Service: 'otel-collector', State: 'running', Env: [`HONEYCOMB_API_KEY=${key}`, 'PATH=/usr/bin'] });
const backend = (env: string[] = []) => ({ Name: 'week2-backend-flask-ts-1', Service: 'backend-flask-ts', State: 'running', Env: ['PORT=4567', ...env] });
const gitpod = { GITPOD_WORKSPACE_ID: 'cruddur-abc123', GITPOD_WORKSPACE_URL: 'https://cruddur-abc123.ws-us1.gitpod.io' };

const secretFree = (text: string) => ![OLD, NEW].some((k) => text.includes(k.slice(6)));

test('passes when the shell, gp env and the collector container have the same key', async () => {
  const cli = fakeCli({ engine: 'running', containers: [collector(NEW), backend()], gpEnv: { HONEYCOMB_API_KEY: NEW } });
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env, ...gitpod, HONEYCOMB_API_KEY: NEW }, {}));
  assert.is(r.status, 'pass');
  assert.is(r.detail, `the same values in shell, gp env, container otel-collector, container backend-flask-ts: HONEYCOMB_API_KEY: shell #${fingerprint(NEW)}, gp env #${fingerprint(NEW)}, container otel-collector #${fingerprint(NEW)}, container backend-flask-ts -`);
  assert.ok(secretFree(r.detail));
});

test('fails when a container still has the old key, and says to recreate it', async () => {
  const cli = fakeCli({ engine: 'running', containers: [collector(OLD)], gpEnv: { HONEYCOMB_API_KEY: NEW } });
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env, ...gitpod, HONEYCOMB_API_KEY: NEW }, {}));
  assert.is(r.status, 'fail');
  assert.match(r.detail, new RegExp(`container otel-collector has a different HONEYCOMB_API_KEY \\(#${fingerprint(OLD)}, gp env has #${fingerprint(NEW)}\\)`));
  assert.match(r.fix!, /docker compose up -d --force-recreate otel-collector \(containers keep the values they were created with\)/);
  assert.ok(secretFree(r.detail + r.fix));
});

test('fails when gp env has a value this terminal never saw, and says to open a new one', async () => {
  const cli = fakeCli({ engine: 'running', containers: [collector(NEW)], gpEnv: { HONEYCOMB_API_KEY: NEW } });
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env, ...gitpod }, {}));
  assert.is(r.status, 'fail');
  assert.match(r.detail, /shell has no HONEYCOMB_API_KEY \(gp env has #/);
  assert.match(r.fix!, /open a new terminal, or run eval "\$\(gp env -e\)"/);
});

test('in Gitpod a terminal older than gp env is fine when .env has the same value (compose and the scripts read it)', async () => {
  const cli = fakeCli({ engine: 'running', containers: [collector(NEW)], gpEnv: { HONEYCOMB_API_KEY: NEW } });
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env, ...gitpod }, { HONEYCOMB_API_KEY: NEW }));
  assert.is(r.status, 'pass', r.detail);
});

test('fails when a service other than the collector holds the Honeycomb key', async () => {
  const cli = fakeCli({ engine: 'running', containers: [collector(NEW), backend([`HONEYCOMB_API_KEY=${NEW}`])] });
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env, HONEYCOMB_API_KEY: NEW }, { HONEYCOMB_API_KEY: NEW }));
  assert.is(r.status, 'fail');
  assert.match(r.detail, /container backend-flask-ts holds HONEYCOMB_API_KEY: only otel-collector should/);
  assert.match(r.fix!, /remove HONEYCOMB_API_KEY from backend-flask-ts in docker-compose.yml/);
});

test('outside Gitpod, .env is what was saved; AWS credentials are compared too', async () => {
  const aws = { AWS_ACCESS_KEY_ID: 'AKIASTUDENTTEST00001', AWS_SECRET_ACCESS_KEY: 'old-secret-0000000000000000000000000000' };
  const cli = fakeCli({ engine: 'running', containers: [{ ...collector(NEW), Env: [`HONEYCOMB_API_KEY=${NEW}`, `AWS_ACCESS_KEY_ID=${aws.AWS_ACCESS_KEY_ID}`, 'AWS_SECRET_ACCESS_KEY=new-secret-1111111111111111111111111111'] }] });
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env }, { HONEYCOMB_API_KEY: NEW, ...aws }));
  assert.is(r.status, 'fail');
  assert.match(r.detail, /container otel-collector has a different AWS_SECRET_ACCESS_KEY \(#[0-9a-f]{8}, \.env has #[0-9a-f]{8}\)/);
  assert.not.match(r.detail, /HONEYCOMB_API_KEY \(/);
  assert.not.ok(r.detail.includes('secret-'));
});

test('no docker installed: compares what it can and says why containers are missing', async () => {
  const cli = fakeCli({}, ['gp']);
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env, HONEYCOMB_API_KEY: NEW }, { HONEYCOMB_API_KEY: NEW }));
  assert.is(r.status, 'pass');
  assert.match(r.detail, /shell, \.env: .*\(docker is not installed here, so containers cannot be compared\)/);
});

test('the Docker engine stopped is a reason, not a failure; gp missing in Gitpod Classic falls back to .env', async () => {
  const cli = fakeCli({ engine: 'stopped' }, ['docker']);
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env, ...gitpod, HONEYCOMB_API_KEY: NEW }, { HONEYCOMB_API_KEY: NEW }));
  assert.is(r.status, 'pass', r.detail);
  assert.match(r.detail, /the same values in shell, \.env/);
  assert.match(r.detail, /the Docker engine is not running/);
  assert.not.match(r.detail, /gp/);
});


test('outside Gitpod, a shell value that differs from .env fails: it overrides .env for compose', async () => {
  const cli = fakeCli({ engine: 'running', containers: [] });
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env, HONEYCOMB_API_KEY: OLD }, { HONEYCOMB_API_KEY: NEW }));
  assert.is(r.status, 'fail');
  assert.match(r.detail, /shell has a different HONEYCOMB_API_KEY/);
  assert.match(r.fix!, /unset HONEYCOMB_API_KEY in this shell \(it overrides \.env\)/);
});


test('a value only in the shell: fine with .env, a warning in Gitpod (the next workspace lacks it)', async () => {
  const cli = fakeCli({ engine: 'running', containers: [collector(NEW)], gpEnv: {} });
  const plain = await runCheck(workspaceSecrets, loadSettings({ ...cli.env, HONEYCOMB_API_KEY: NEW }, {}));
  assert.is(plain.status, 'pass');
  const inGitpod = await runCheck(workspaceSecrets, loadSettings({ ...cli.env, ...gitpod, HONEYCOMB_API_KEY: NEW }, {}));
  assert.is(inGitpod.status, 'warn');
  assert.match(inGitpod.detail, /HONEYCOMB_API_KEY is set in this shell but not saved with gp env: the next workspace will not have it/);
  assert.is(inGitpod.fix, 'npm run setup (it saves with gp env)');
});

test('a backend container holding the key is reported even when nothing else has it', async () => {
  const cli = fakeCli({ engine: 'running', containers: [collector(''), backend([`HONEYCOMB_API_KEY=${NEW}`])] });
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env }, {}));
  assert.is(r.status, 'fail', r.detail);
  assert.match(r.detail, /^container backend-flask-ts holds HONEYCOMB_API_KEY: only otel-collector should\. HONEYCOMB_API_KEY: shell -, \.env -, container otel-collector -, container backend-flask-ts #/);
  assert.is(r.fix, 'remove HONEYCOMB_API_KEY from backend-flask-ts in docker-compose.yml');
});

test('AWS credentials in another service are its own business: only the Honeycomb key is the collector’s alone', async () => {
  const aws = `AWS_ACCESS_KEY_ID=AKIASTUDENTTEST00001`;
  const cli = fakeCli({ engine: 'running', containers: [{ ...collector(NEW), Env: [`HONEYCOMB_API_KEY=${NEW}`, aws] }, backend([aws])] });
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env }, { HONEYCOMB_API_KEY: NEW, AWS_ACCESS_KEY_ID: 'AKIASTUDENTTEST00001' }));
  assert.is(r.status, 'pass', r.detail);
  assert.match(r.detail, /AWS_ACCESS_KEY_ID: shell -, \.env #[0-9a-f]{8}, container otel-collector #[0-9a-f]{8}, container backend-flask-ts #[0-9a-f]{8}/);
});

test('a collector created before the key was saved has none: a failure, with the recreate', async () => {
  const cli = fakeCli({ engine: 'running', containers: [collector('')] });
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env }, { HONEYCOMB_API_KEY: NEW }));
  assert.is(r.status, 'fail');
  assert.match(r.detail, new RegExp(`^container otel-collector has no HONEYCOMB_API_KEY \\(\\.env has #${fingerprint(NEW)}\\)\\. `));
  assert.is(r.fix, 'docker compose up -d --force-recreate otel-collector (containers keep the values they were created with)');
});

test('a gp that answers with an error: said in its own words, and the rest still compared', async () => {
  const cli = fakeCli({ engine: 'running', containers: [collector(NEW)], gpFails: 'gp: not authorized: run gp login\nusage: gp env' });
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env, ...gitpod, HONEYCOMB_API_KEY: NEW }, { HONEYCOMB_API_KEY: NEW }));
  assert.is(r.status, 'pass', r.detail);
  assert.match(r.detail, /^the same values in shell, container otel-collector: .* \(gp env failed \(gp: not authorized: run gp login\)\)$/);
});

test('neither gp env nor docker can be read: a skip that gives both reasons', async () => {
  const cli = fakeCli({ gpFails: 'gp: no workspace context' }, ['gp']);
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env, ...gitpod, HONEYCOMB_API_KEY: NEW }, {}));
  assert.is(r.status, 'skip');
  assert.is(r.detail, 'gp env failed (gp: no workspace context); docker is not installed here, so containers cannot be compared');
});

test('docker compose ps failing for another reason than the engine: its first line, quoted', async () => {
  const cli = fakeCli({ engine: 'running', psFails: 'permission denied while trying to connect to the Docker daemon socket\nsee docs' });
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env, HONEYCOMB_API_KEY: NEW }, { HONEYCOMB_API_KEY: NEW }));
  assert.is(r.status, 'pass', r.detail);
  assert.match(r.detail, /\(docker compose ps failed: permission denied while trying to connect to the Docker daemon socket\)$/);
});

test('compose ps as one JSON array (before Compose v2.21.0) or JSON Lines: the same containers', async () => {
  for (const psFormat of ['array', 'lines'] as const) {
    const cli = fakeCli({ engine: 'running', psFormat, containers: [collector(OLD), backend()] });
    const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env }, { HONEYCOMB_API_KEY: NEW }));
    assert.is(r.status, 'fail', psFormat);
    assert.match(r.detail, /container otel-collector has a different HONEYCOMB_API_KEY/, psFormat);
  }
  const none = fakeCli({ engine: 'running', psFormat: 'array', containers: [] });
  assert.is((await runCheck(workspaceSecrets, loadSettings({ ...none.env }, { HONEYCOMB_API_KEY: NEW }))).status, 'pass');
});

test('stopped containers and containers gone before inspect are not compared', async () => {
  const cli = fakeCli({ engine: 'running', containers: [{ ...collector(OLD), State: 'exited' }, { ...collector(OLD), Name: 'week2-otel-collector-2' }], gone: ['week2-otel-collector-2'] });
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env }, { HONEYCOMB_API_KEY: NEW }));
  assert.is(r.status, 'pass', r.detail);
  assert.is(r.detail, `the same values in shell, .env: HONEYCOMB_API_KEY: shell -, .env #${fingerprint(NEW)}`);
});

test('several values set in the shell but not saved with gp env: one warning naming them all', async () => {
  const cli = fakeCli({ engine: 'running', containers: [], gpEnv: {} });
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env, ...gitpod, HONEYCOMB_API_KEY: NEW, AWS_ACCESS_KEY_ID: 'AKIASTUDENTTEST00001' }, {}));
  assert.is(r.status, 'warn');
  assert.match(r.detail, /^HONEYCOMB_API_KEY, AWS_ACCESS_KEY_ID are set in this shell but not saved with gp env: the next workspace will not have them\. /);
});

test('a shell without the value in Gitpod, and .env without it either: open a new terminal', async () => {
  const cli = fakeCli({ engine: 'running', containers: [], gpEnv: { HONEYCOMB_API_KEY: NEW } });
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env, ...gitpod }, { HONEYCOMB_API_KEY: OLD }));
  assert.is(r.status, 'fail');
  assert.match(r.detail, /^shell has no HONEYCOMB_API_KEY \(gp env has #/);
});

test('the doctor prints it under the workspace group, with its title and id', async () => {
  const { doctor } = await import('../../../doctor/main.ts');
  const { silentTerm } = await import('../../../lib/terminal/term.ts');
  const cli = fakeCli({ engine: 'running', containers: [collector(OLD)] });
  const term = silentTerm();
  const { results } = await doctor(['--only', 'workspace'], { settings: loadSettings({ ...cli.env }, { HONEYCOMB_API_KEY: NEW }), term, checks: [workspaceSecrets], startDir: '/nonexistent' });
  assert.equal(results.map((r) => [r.id, r.group, r.status]), [['workspace.secrets', 'workspace', 'fail']]);
  assert.match(term.lines.join('\n'), /✘ the same key and credentials everywhere \(workspace\.secrets\)/);
});

// From npm run mutate's survivors: each verdict's other side, and the exact joins a student reads.
test('no key or credentials anywhere, saved or running: a skip that says so, not "the same values" over nothing', async () => {
  const cli = fakeCli({ engine: 'running', containers: [backend()] });
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env }, {}));
  assert.is(r.status, 'skip');
  assert.is(r.detail, 'no key or credentials anywhere to compare (see honeycomb.key, aws.credentials)');
});

test('a key only the collector still holds (gone from .env and the shell since it was created): nothing saved to compare it with, so no failure here', async () => {
  const cli = fakeCli({ engine: 'running', containers: [collector(OLD)] });
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env }, {}));
  assert.is(r.status, 'pass', r.detail);
  assert.is(r.detail, `the same values in shell, .env, container otel-collector: HONEYCOMB_API_KEY: shell -, .env -, container otel-collector #${fingerprint(OLD)}`);
});

test('two places wrong at once: every problem, every value compared and every fix, in order, each joined as printed', async () => {
  const id = 'AKIASTUDENTTEST00001';
  const cli = fakeCli({ engine: 'running', containers: [{ ...collector(OLD), Env: [`HONEYCOMB_API_KEY=${OLD}`, `AWS_ACCESS_KEY_ID=${id}`] }] });
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env, HONEYCOMB_API_KEY: OLD }, { HONEYCOMB_API_KEY: NEW, AWS_ACCESS_KEY_ID: id }));
  assert.is(r.status, 'fail');
  const [o, n, a] = [OLD, NEW, id].map((v) => `#${fingerprint(v)}`);
  assert.is(
    r.detail,
    `shell has a different HONEYCOMB_API_KEY (${o}, .env has ${n}); container otel-collector has a different HONEYCOMB_API_KEY (${o}, .env has ${n}). ` +
      `HONEYCOMB_API_KEY: shell ${o}, .env ${n}, container otel-collector ${o}; AWS_ACCESS_KEY_ID: shell -, .env ${a}, container otel-collector ${a}`,
  );
  assert.is(r.fix, 'unset HONEYCOMB_API_KEY in this shell (it overrides .env), or save the new value with npm run setup; then docker compose up -d --force-recreate otel-collector (containers keep the values they were created with)');
  assert.ok(secretFree(r.detail + r.fix));
});

test('a gp whose error begins with a blank line: its first words, not an empty reason', async () => {
  const cli = fakeCli({ engine: 'running', containers: [collector(NEW)], gpFails: '\n  gp: not authorized: run gp login' });
  const r = await runCheck(workspaceSecrets, loadSettings({ ...cli.env, ...gitpod, HONEYCOMB_API_KEY: NEW }, { HONEYCOMB_API_KEY: NEW }));
  assert.match(r.detail, /\(gp env failed \(gp: not authorized: run gp login\)\)$/);
});

test.run();
