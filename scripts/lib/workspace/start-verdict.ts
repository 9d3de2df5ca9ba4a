// The last workspace start's verdict (scripts/workspace-start.ts writes it), for the doctor and
// the terminal banner to point to.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './settings.ts';
import type { Host } from './host.ts';

export const START_DIR = join(REPO_ROOT, '.cruddur', 'start');

export interface Line {
  ok: boolean;
  text: string;
}

export interface Verdict {
  host: Host;
  startedAt: string;
  ok: boolean;
  mode: 'remote' | 'local' | 'not started';
  /** Container ready (the start began) to the stack healthy, and to the verdict. */
  stackMs?: number;
  verdictMs: number;
  lines: Line[];
  /** What was not checked, and why (no browser for the journey): said, not failed. */
  notes?: string[];
  next?: string;
  frontend?: string;
}

export function lastVerdict(dir = START_DIR): Verdict | undefined {
  const file = join(dir, 'verdict.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Verdict;
  } catch {
    return undefined;
  }
}
