// The last workspace start's verdict (scripts/workspace-start.ts writes it), for the doctor and
// the terminal banner to point to.
import { readFileSync } from 'node:fs';
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

/** The last start's verdict; undefined when no start wrote one that can be read. */
export function lastVerdict(dir = START_DIR): Verdict | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'verdict.json'), 'utf8')) as Verdict;
  } catch {}
}
