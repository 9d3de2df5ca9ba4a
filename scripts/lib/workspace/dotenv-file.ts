import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

// Values a .env can hold bare, read the same by every reader.
const BARE = /^[A-Za-z0-9_./:@+=-]*$/;
// Inside single quotes docker compose (v2 and later: compose-go's dotenv, parser.go
// extractVarValue), Node's parseEnv and `set -a; . ./.env` all read every character literally,
// $, ${ and backticks included, except these: a quote ends the value, a line break ends the
// line for the shell, and compose reads a backslash before the closing quote as escaping it
// (measured: scripts/test/setup/dotenv.test.ts).
const UNQUOTABLE = /['\r\n\0]|\\$/;

/** A value no .env quoting carries the same to compose, Node and the shell. */
export class DotEnvValueError extends Error {}

/** Whether .env can carry the value, read back the same by compose, Node and the shell. */
export const dotEnvCarries = (v: string): boolean => !UNQUOTABLE.test(v);

const quote = (name: string, v: string) => {
  if (BARE.test(v)) return v;
  const bad = UNQUOTABLE.exec(v)?.[0];
  if (bad !== undefined) {
    const what = bad === "'" ? 'a single quote' : bad === '\\' ? 'a backslash at its end' : bad === '\0' ? 'a NUL character' : 'a line break';
    throw new DotEnvValueError(`${name} contains ${what}, which docker compose, Node and the shell would each read back differently from .env: check the value (a pasted key never has one), or set ${name} in the environment instead`);
  }
  return `'${v}'`;
};

/**
 * Sets names in a .env file, keeping every other line and comment as it was, and leaves the
 * file readable by its owner only (0600): it holds secrets. A name set twice keeps its first
 * line, rewritten, and loses the later ones (the later line would win in compose). Returns the
 * names it changed and those whose duplicates it removed; nothing is written when a value
 * cannot be carried (DotEnvValueError).
 */
export function updateDotEnv(path: string, values: Record<string, string>): { changed: string[]; deduplicated: string[] } {
  const wanted = Object.entries(values).map(([name, value]) => [name, `${name}=${quote(name, value)}`] as const);
  const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
  let lines = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const changed: string[] = [];
  const deduplicated: string[] = [];
  for (const [name, line] of wanted) {
    const defines = (l: string) => new RegExp(`^\\s*(export\\s+)?${name}\\s*=`).test(l);
    const at = lines.findIndex(defines);
    if (at === -1) {
      lines.push(line);
      changed.push(name);
      continue;
    }
    const later = lines.filter((l, i) => i > at && defines(l)).length;
    if (lines[at] !== line || later) changed.push(name);
    if (later) deduplicated.push(name);
    lines[at] = line;
    lines = lines.filter((l, i) => i <= at || !defines(l));
  }
  if (changed.length || !existsSync(path)) writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return { changed, deduplicated };
}
