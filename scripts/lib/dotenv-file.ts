import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

// Values a .env can hold bare; anything else is double-quoted with escapes.
const BARE = /^[A-Za-z0-9_./:@+=-]*$/;
const quote = (v: string) => (BARE.test(v) ? v : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);

/**
 * Sets names in a .env file, keeping every other line and comment as it was, and leaves the
 * file readable by its owner only (0600): it holds secrets. Returns the names it changed.
 */
export function updateDotEnv(path: string, values: Record<string, string>): string[] {
  const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const lines = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const changed: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const line = `${name}=${quote(value)}`;
    const at = lines.findIndex((l) => new RegExp(`^\\s*(export\\s+)?${name}\\s*=`).test(l));
    if (at === -1) {
      lines.push(line);
      changed.push(name);
    } else if (lines[at] !== line) {
      lines[at] = line;
      changed.push(name);
    }
  }
  if (changed.length || !existsSync(path)) writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return changed;
}
