import { execFile } from 'node:child_process';
import { parseEnv } from 'node:util';
import { fingerprint } from '../../lib/terminal/secrets.ts';
import { host } from '../../lib/workspace/host.ts';
import { fail, pass, skip, warn, type Check } from '../types.ts';

export const COMPARED = ['HONEYCOMB_API_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;
/** The only service that should hold the key and credentials. */
const HOLDER = 'otel-collector';

type Values = Partial<Record<(typeof COMPARED)[number], string>>;
interface Place {
  name: string;
  values: Values;
  container?: string;
}

const pick = (env: Record<string, string | undefined>): Values =>
  Object.fromEntries(COMPARED.filter((k) => env[k]).map((k) => [k, env[k]!]));

interface Ran {
  failed: boolean;
  /** ENOENT when the command is not installed. */
  code?: string;
  stdout: string;
  /** What went wrong, in one line: the command's own stderr when it said something. */
  said: string;
}

/**
 * One command, never throwing. node:child_process rather than execa: execa's 111 modules
 * took 75 ms to load, more than half of the doctor's start-up, for two plain calls.
 */
function run(cmd: string, args: string[], env: Record<string, string | undefined>): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: 8000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const said = err?.killed ? `${cmd} did not answer within 8 s` : (stderr.trim() || err?.message || '').split('\n')[0]!;
      resolve({ failed: err !== null, code: typeof err?.code === 'string' ? err.code : undefined, stdout, said });
    });
  });
}

/** `gp env` in Gitpod Classic, when its CLI is there; `.env` everywhere else (Ona and Codespaces inject their secrets into the environment, the shell's place). */
async function saved(env: Record<string, string | undefined>, dotenv: Record<string, string>): Promise<Place | string> {
  if (host(env) === 'gitpod-classic') {
    const out = await run('gp', ['env'], env);
    if (!out.failed) return { name: 'gp env', values: pick(parseEnv(out.stdout)) };
    if (out.code !== 'ENOENT') return `gp env failed (${out.said})`;
  }
  return { name: '.env', values: pick(dotenv) };
}

/** The environment each running container of the compose stack was created with. */
async function containers(env: Record<string, string | undefined>): Promise<Place[] | string> {
  const ps = await run('docker', ['compose', 'ps', '--format', 'json'], env);
  if (ps.failed) {
    if (ps.code === 'ENOENT') return 'docker is not installed here, so containers cannot be compared';
    return /Cannot connect to the Docker daemon|docker daemon is not running|error during connect/i.test(ps.said)
      ? 'the Docker engine is not running, so containers cannot be compared'
      : `docker compose ps failed: ${ps.said}`;
  }
  // Compose v2 prints one JSON object per line (older releases: one array).
  const text = ps.stdout.trim();
  const rows: { Name: string; Service: string; State: string }[] = text === "" ? [] : text.startsWith('[') ? JSON.parse(text) : text.split('\n').filter(Boolean).map((l: string) => JSON.parse(l));
  // All containers at once: one round trip, however many are running.
  const running = rows.filter((r) => r.State === 'running');
  const inspected = await Promise.all(running.map((row) => run('docker', ['inspect', '--format', '{{json .Config.Env}}', row.Name], env)));
  return running.flatMap((row, i) => {
    if (inspected[i]!.failed) return [];
    const list = JSON.parse(inspected[i]!.stdout) as string[];
    const values = Object.fromEntries(list.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    return [{ name: `container ${row.Service}`, values: pick(values), container: row.Service }];
  });
}

export const workspaceSecrets: Check = {
  id: 'workspace.secrets',
  group: 'workspace',
  title: 'the same key and credentials everywhere',
  async run({ settings }) {
    const shell: Place = { name: 'shell', values: pick(settings.shell) };
    const [savedPlace, containerPlaces] = await Promise.all([saved(settings.env, settings.dotenv), containers(settings.env)]);
    const places = [shell, ...(typeof savedPlace === 'string' ? [] : [savedPlace]), ...(typeof containerPlaces === 'string' ? [] : containerPlaces)];
    const notes = [savedPlace, containerPlaces].filter((x): x is string => typeof x === 'string');
    // Fewer than two places means both lookups failed, and each said why.
    if (places.length < 2) return skip(notes.join('; '));

    const problems: string[] = [];
    const unsaved: string[] = [];
    const fixes = new Set<string>();
    const lines: string[] = [];
    for (const name of COMPARED) {
      // What the workspace saved is the truth when it has the value; else what this shell has.
      const reference = typeof savedPlace !== 'string' && savedPlace.values[name] ? savedPlace : shell;
      // Anywhere at all: a service that should not hold the key is reported even when nothing else has it.
      if (!places.some((p) => p.values[name] !== undefined)) continue;
      lines.push(`${name}: ${places.map((p) => `${p.name} ${p.values[name] ? `#${fingerprint(p.values[name]!)}` : '-'}`).join(', ')}`);
      const want = reference.values[name];
      for (const p of places) {
        const have = p.values[name];
        if (p.container && p.container !== HOLDER) {
          if (have && name === 'HONEYCOMB_API_KEY') {
            problems.push(`${p.name} holds HONEYCOMB_API_KEY: only ${HOLDER} should`);
            fixes.add(`remove HONEYCOMB_API_KEY from ${p.container} in docker-compose.yml`);
          }
          continue;
        }
        if (p === reference || !want || have === want) continue;
        // Outside Gitpod compose and the scripts read .env themselves: a shell without the
        // value is fine. A shell with another value is not: it overrides .env for both.
        // In Gitpod setup writes .env too: a shell that predates gp env is fine when .env agrees.
        if (!have && p === shell && (reference.name === '.env' || settings.dotenv[name] === want)) continue;
        // The saved place lacking a value the shell has: fine for .env (compose reads the
        // shell too); in Gitpod it means the next workspace will not have it.
        if (!have && p !== shell && !p.container) {
          if (p.name === 'gp env') unsaved.push(name);
          continue;
        }
        if (!have) problems.push(`${p.name} has no ${name} (${reference.name} has #${fingerprint(want)})`);
        else problems.push(`${p.name} has a different ${name} (#${fingerprint(have)}, ${reference.name} has #${fingerprint(want)})`);
        if (p.container) fixes.add(`docker compose up -d --force-recreate ${p.container} (containers keep the values they were created with)`);
        else if (p === shell) fixes.add(reference.name === 'gp env' ? 'open a new terminal, or run eval "$(gp env -e)" (this one started before the value was saved)' : `unset ${name} in this shell (it overrides ${reference.name}), or save the new value with npm run setup`);
      }
    }
    if (lines.length === 0) return skip('no key or credentials anywhere to compare (see honeycomb.key, aws.credentials)');
    const evidence = `${lines.join('; ')}${notes.length ? ` (${notes.join('; ')})` : ''}`;
    if (problems.length) return fail(`${problems.join('; ')}. ${evidence}`, [...fixes].join('; then '));
    if (unsaved.length) {
      return warn(`${unsaved.join(', ')} ${unsaved.length === 1 ? 'is' : 'are'} set in this shell but not saved with gp env: the next workspace will not have ${unsaved.length === 1 ? 'it' : 'them'}. ${evidence}`, 'npm run setup (it saves with gp env)');
    }
    return pass(`the same values in ${places.map((p) => p.name).join(', ')}: ${evidence}`);
  },
};
