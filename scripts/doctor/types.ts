import type { Settings } from '../lib/workspace/settings.ts';
import type { Shared } from './shared.ts';

export type Status = 'pass' | 'warn' | 'fail' | 'skip';
export const GROUPS = ['honeycomb', 'aws', 'workspace', 'stack'] as const;
export type Group = (typeof GROUPS)[number];

/** What a check returns: one line of evidence, and one line of fix when it did not pass. */
export interface Finding {
  status: Status;
  detail: string;
  fix?: string;
  links?: Record<string, string>;
}

export interface Context {
  settings: Settings;
  shared: Shared;
}

/** One check per file: the runner owns timeouts, crashes, printing and the exit code. */
export interface Check {
  id: string;
  group: Group;
  title: string;
  /** A failing optional check is a warning; a failing required one an error. Default true. */
  required?: boolean;
  timeoutMs?: number;
  run(ctx: Context): Promise<Finding>;
}

export interface Result extends Finding {
  id: string;
  group: Group;
  title: string;
  ms: number;
}

export const pass = (detail: string, links?: Record<string, string>): Finding => ({ status: 'pass', detail, links });
export const warn = (detail: string, fix: string, links?: Record<string, string>): Finding => ({ status: 'warn', detail, fix, links });
export const fail = (detail: string, fix: string, links?: Record<string, string>): Finding => ({ status: 'fail', detail, fix, links });
export const skip = (detail: string): Finding => ({ status: 'skip', detail });
