#!/usr/bin/env node
// Stands in for `docker`, `gp` and Ona's `gitpod` in tests, answering from the JSON file in FAKE_CLI_STATE:
//   { "engine": "running" | "stopped",
//     "containers": [{ "Name", "Service", "State", "Env": ["K=V", ...] }],
//     "gpEnv": { "K": "V" },
//     "gpFails": "stderr of a gp that exits 1", "psFails": "stderr of a docker compose ps that exits 1",
//     "psFormat": "array" (as Compose printed it before v2.21.0, docker/compose#10918), "gone": [container names inspect no longer finds],
//     "upFails": "stderr of a docker compose up that exits 1" }
// Every call is appended, as one JSON line [tool, ...args], to FAKE_CLI_STATE + '.calls': the
// doctor runs docker and gp at once, and rewriting one shared file from each process lost
// calls and let a reader see it half-written. The state file is replaced by a rename.
// Output formats, from their sources:
// - `docker compose ps --format json`: one JSON object per line (JSON Lines; docker/compose
//   docs/reference/compose_ps.md, "ps --format json outputs JSON Lines, not a JSON array",
//   and issue docker/compose#11784; older releases printed one array);
// - `docker inspect --format '{{json .Config.Env}}'`: the Go template's JSON of the
//   container's Env, a list of "K=V" (docs.docker.com/reference/cli/docker/inspect);
// - `gp env`: one K=V line per variable; `gp env K=V` saves one and prints it back, value and
//   all (gitpod-io/gitpod components/gitpod-cli/cmd/env.go: getEnvs, setEnvs, printVar);
// - the daemon-down message is the docker CLI's "Cannot connect to the Docker daemon at ...";
// - `gitpod environment port open <port> --name N [--admission A]` prints the port's URL,
//   https://<port>--<environment id>.<region>.gitpod.dev (as Ona's CLI prints it: the examples
//   in its port docs and the scripts that read it, export URL=$(gitpod environment port open ...)).
// COMPOSE_FILE of each docker compose call goes to FAKE_CLI_STATE + '.compose-file' (last one).
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

const state = JSON.parse(readFileSync(process.env.FAKE_CLI_STATE, 'utf8'));
const tool = basename(process.argv[1]);
const args = process.argv.slice(2);
appendFileSync(`${process.env.FAKE_CLI_STATE}.calls`, `${JSON.stringify([tool, ...args])}\n`);
const save = () => {
  const next = `${process.env.FAKE_CLI_STATE}.${process.pid}`;
  writeFileSync(next, JSON.stringify(state));
  renameSync(next, process.env.FAKE_CLI_STATE);
};

// `npm ...`: recorded only (a workspace start's npm ci), or failing as npm does, on stderr and
// with a non-zero exit, when the state says so.
if (tool === 'npm') {
  if (state.npmFails) {
    console.error(state.npmFails);
    process.exit(1);
  }
  process.exit(0);
}

if (tool === 'gitpod' || tool === 'ona') {
  if (args[0] === 'environment' && args[1] === 'port' && args[2] === 'open' && /^\d+$/.test(args[3] ?? '')) {
    // portOpenFails: true (the refusal above), or other words; portOpenPrints: a success that prints
    // no URL. Neither is output Ona documents: they are hypotheses at the edge of the start's reading
    // (a refusal that carries a link, a CLI version that says something else), so it never takes a
    // docs link for the app's address and never crashes on a missing one.
    if (state.ona?.portOpenFails) {
      console.error(typeof state.ona.portOpenFails === 'string' ? state.ona.portOpenFails : 'error: port sharing is disabled by your organization');
      process.exit(1);
    }
    if (state.ona?.portOpenPrints !== undefined) {
      console.log(state.ona.portOpenPrints);
      process.exit(0);
    }
    console.log(`https://${args[3]}--${process.env.GITPOD_ENVIRONMENT_ID}.us-east-1-01.gitpod.dev`);
    process.exit(0);
  }
  console.error(`${tool}: unknown command ${args.join(' ')}`);
  process.exit(1);
}

if (tool === 'gp') {
  if (state.gpFails) {
    console.error(state.gpFails);
    process.exit(1);
  }
  if (args[0] === 'env' && args.length === 1) {
    for (const [k, v] of Object.entries(state.gpEnv ?? {})) console.log(`${k}=${v}`);
    process.exit(0);
  }
  if (args[0] === 'env' && args.length === 2 && args[1].includes('=')) {
    const at = args[1].indexOf('=');
    state.gpEnv = { ...(state.gpEnv ?? {}), [args[1].slice(0, at)]: args[1].slice(at + 1) };
    save();
    console.log(args[1]);
    process.exit(0);
  }
  console.error(`gp: unknown command ${args.join(' ')}`);
  process.exit(1);
}

if (state.engine === 'stopped') {
  console.error('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?');
  process.exit(1);
}
if (args[0] === 'compose') writeFileSync(`${process.env.FAKE_CLI_STATE}.compose-file`, process.env.COMPOSE_FILE ?? '');
if (args[0] === 'compose' && args[1] === 'up') writeFileSync(`${process.env.FAKE_CLI_STATE}.app-commit`, process.env.APP_COMMIT ?? '');
if (args[0] === 'compose' && args[1] === 'ps') {
  if (state.psFails) {
    console.error(state.psFails);
    process.exit(1);
  }
  const running = args.includes('--status');
  // Publishers as compose's ContainerSummary has them (docker/compose pkg/api/api.go: URL,
  // TargetPort, PublishedPort, Protocol); a Go nil slice, null, for a container with none.
  const rows = (state.containers ?? []).filter((c) => !running || c.State === 'running').map((c) => ({ Name: c.Name, Service: c.Service, State: c.State, Publishers: c.Publishers ?? null }));
  // Without --format json, a table (compose_ps.md: the default format is a table).
  if (args[args.indexOf('--format') + 1] !== 'json') {
    console.log('NAME      IMAGE     COMMAND   SERVICE   CREATED   STATUS    PORTS');
    for (const row of rows) console.log(`${row.Name}   x   "x"   ${row.Service}   now   ${row.State}`);
    process.exit(0);
  }
  if (state.psFormat === 'array') console.log(JSON.stringify(rows));
  else for (const row of rows) console.log(JSON.stringify(row));
  process.exit(0);
}
if (args[0] === 'compose' && args[1] === 'up') {
  // Ended by a signal, as the kernel's OOM killer ends a process (SIGKILL; signal(7)): no compose
  // output, no exit code.
  if (state.upSignal) process.kill(process.pid, state.upSignal);
  if (state.upFails) {
    console.error(state.upFails);
    process.exit(1);
  }
  process.exit(0);
}
if (args[0] === 'inspect') {
  const c = (state.containers ?? []).find((x) => x.Name === args.at(-1) && !(state.gone ?? []).includes(x.Name));
  if (!c) {
    console.error(`Error: No such object: ${args.at(-1)}`);
    process.exit(1);
  }
  // Only the template asked for gives the Env list; without it, inspect prints the whole
  // objects, a JSON array (docs.docker.com/reference/cli/docker/inspect).
  const format = args[args.indexOf('--format') + 1];
  if (format === '{{json .Config.Env}}') console.log(JSON.stringify(c.Env ?? []));
  else if (format === undefined || args.indexOf('--format') < 0) console.log(JSON.stringify([{ Name: `/${c.Name}`, Config: { Env: c.Env ?? [] } }]));
  else console.log(`template: ${format}: unsupported by this fake`);
  process.exit(0);
}
console.error(`docker: unknown command ${args.join(' ')}`);
process.exit(1);
