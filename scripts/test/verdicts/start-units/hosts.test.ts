// The workspace start in one process (harness.ts): the hosts: the banner, Ona's port.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { NO_BROWSER } from '../../../../testkit/clouds.ts';
import { workspaceStart } from '../../../workspace-start.ts';
import { checkout, start, section } from './harness.ts';

const hosts = section('hosts: the banner, Ona’s port');

hosts('Codespaces: the banner line added to ~/.bashrc once, on a line of its own after what is there, however many starts', async (ctx) => {
  const home = mkdtempSync(join(tmpdir(), 'cruddur-units-home-'));
  // A .bashrc whose last line has no newline: the banner must not join it.
  writeFileSync(join(home, '.bashrc'), "alias ll='ls -l'");
  const r = await start(ctx, { CODESPACES: 'true', HOME: home });
  assert.is(r.verdict!.host, 'codespaces');
  await workspaceStart({ env: { ...r.cli.env, HOME: home, CODESPACES: 'true', FRONTEND_SERVER_URL: ctx.stack.url, OTEL_COLLECTOR_METRICS_URL: `${ctx.stack.url}/metrics`, CHROMIUM_PATH: NO_BROWSER }, root: r.root, dir: r.dir, say: () => {}, ports: [] });
  const rc = readFileSync(join(home, '.bashrc'), 'utf8');
  const line = `[ -f "${r.root}/scripts/start-banner.sh" ] && . "${r.root}/scripts/start-banner.sh" # cruddur: the start's verdict`;
  assert.is(rc.split(line).length - 1, 1, rc);
  assert.ok(rc.split('\n').includes("alias ll='ls -l'") && rc.split('\n').includes(line), rc);
  assert.equal(r.said[0], '== GitHub Codespaces: starting the stack');
});

hosts('a HOME the start cannot write to: no banner, the start goes on and says where the verdict is', async (ctx) => {
  const root = checkout();
  const home = join(root, 'no-such-home');
  const r = await start(ctx, { CODESPACES: 'true', HOME: home }, { root });
  assert.is(r.code, 0, r.saidText);
  assert.ok(r.said.includes(`  could not add the verdict banner to ${home}/.bashrc (ENOENT): cat .cruddur/start/verdict.txt shows it`), r.saidText);
});

const ONA = { GITPOD_ENVIRONMENT_ID: '019cd868-853b-7ed2-9862-a56d5c6d1c78', COMPOSE_FILE: '/workspace/cruddur/docker-compose.yml:/workspace/cruddur/.ona/docker-compose.ona.yml' };

hosts('Ona on its host network: port 3000 opened for its creator with gitpod, else ona, and the URL in the verdict; neither, or a refusal, said with where to open it', async (ctx) => {
  const url = `https://3000--${ONA.GITPOD_ENVIRONMENT_ID}.us-east-1-01.gitpod.dev (asked for its creator only; a runner without port authentication admits anyone with the URL)`;
  let r = await start(ctx, ONA, { tools: ['docker', 'gitpod'] });
  assert.is(r.code, 0, r.saidText);
  assert.is(r.verdict!.frontend, url);
  assert.ok(r.cli.state().calls!.some((c) => c.join(' ') === 'gitpod environment port open 3000 --name frontend-react-js --admission creator_only'));
  assert.match(r.verdictTxt, new RegExp(`\\n {2}open the app: ${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
  r = await start(ctx, ONA, { tools: ['docker', 'ona'] });
  assert.is(r.verdict!.frontend, url, 'the newer CLI’s name');
  r = await start(ctx, ONA, { tools: ['docker'] });
  assert.is(r.verdict!.frontend, undefined);
  assert.ok(r.said.includes("  could not open port 3000 (neither gitpod nor ona (Ona's CLI) is installed): open it in the environment's Ports panel"), r.saidText);
  r = await start(ctx, ONA, { tools: ['docker', 'gitpod'], cli: { engine: 'running', ona: { portOpenFails: true } } });
  assert.is(r.code, 0, 'the verdict still comes');
  assert.ok(r.said.includes("  could not open port 3000 (error: port sharing is disabled by your organization): open it in the environment's Ports panel"), r.saidText);
  // A refusal that links to the docs: that address is not the app's.
  r = await start(ctx, ONA, { tools: ['docker', 'gitpod'], cli: { engine: 'running', ona: { portOpenFails: 'error: not allowed, see https://ona.com/docs/ona/integrations/ports' } } });
  assert.is(r.verdict!.frontend, undefined);
  // A CLI that opened it and printed no address: said, and no crash.
  r = await start(ctx, ONA, { tools: ['docker', 'gitpod'], cli: { engine: 'running', ona: { portOpenPrints: 'port 3000 opened' } } });
  assert.is(r.verdict!.frontend, undefined);
  assert.ok(r.said.includes("  could not open port 3000 (port 3000 opened): open it in the environment's Ports panel"), r.saidText);
});

hosts('Ona in the default dev container: no port opened, and the verdict says where to open the app; other hosts say nothing of it', async (ctx) => {
  let r = await start(ctx, { GITPOD_ENVIRONMENT_ID: 'env-1' }, { tools: ['docker', 'gitpod'] });
  assert.not.ok(r.cli.state().calls!.some((c) => c[0] === 'gitpod'));
  assert.is(r.verdict!.frontend, "your editor's Ports view (port 3000, forwarded to you); an Ona port URL needs .ona/devcontainer.json (its head says how)");
  r = await start(ctx, { CODESPACES: 'true', COMPOSE_FILE: ONA.COMPOSE_FILE }, { tools: ['docker', 'gitpod'] });
  assert.is(r.verdict!.frontend, undefined);
  assert.not.ok(r.cli.state().calls!.some((c) => c[0] === 'gitpod'));
});

hosts.run();
