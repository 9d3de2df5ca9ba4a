import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in how the command was called: printed as one red line, exit code 1. */
export class UsageError extends Error {}

/** node:util parseArgs, with its errors turned into a UsageError that names --help. */
export function parseCli<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]} (see --help)`);
  }
}

/** Runs main() when the file is executed directly (not imported by a test). */
export function isMain(meta: ImportMeta): boolean {
  return process.argv[1] !== undefined && meta.filename === process.argv[1];
}

/** A comma-separated option checked against the values it may take. */
export function listOption(value: string | undefined, allowed: readonly string[], option: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = items.filter((i) => !allowed.includes(i));
  if (unknown.length || items.length === 0) {
    throw new UsageError(`${option} takes ${allowed.join(', ')} (comma-separated); got "${value}"`);
  }
  return items;
}
