import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Honeycomb key formats (hc<x>ik_, hc<x>lk_, hc<x>ic_, hc<x>mk_), AWS key ids, and the header
// that carries a Honeycomb key: none belongs in anything a browser downloads.
const PATTERNS = [/hc[a-z][ilm][kc]_[0-9a-z]{20,}/gi, /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, /x-honeycomb-team/gi];

export interface Finding {
  file: string;
  match: string;
}

/** Every key-like value, listed secret, or key header in the files under `dir`. */
export function scanForSecrets(dir: string, secrets: string[] = []): Finding[] {
  const findings: Finding[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const text = readFileSync(file, 'utf8');
    for (const re of PATTERNS) for (const m of text.matchAll(re)) findings.push({ file, match: `${m[0].slice(0, 10)}…` });
    for (const s of secrets) if (s && text.includes(s)) findings.push({ file, match: `${s.slice(0, 6)}… (a value from the environment)` });
  }
  return findings;
}
