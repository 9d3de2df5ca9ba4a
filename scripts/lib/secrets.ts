import { createHash } from 'node:crypto';

/** A short, stable fingerprint: equal secrets match without either being shown. */
export const fingerprint = (secret: string): string => createHash('sha256').update(secret).digest('hex').slice(0, 8);

/**
 * How a secret may appear anywhere a person or a log can see it: a few leading characters
 * (enough to tell key kinds and keys apart) and the fingerprint, e.g. `hcaik_…#1a2b3c4d`.
 */
export function mask(secret: string | undefined): string {
  if (!secret) return '(not set)';
  const shown = Math.min(6, Math.floor(secret.length / 4));
  return `${secret.slice(0, shown)}…#${fingerprint(secret)}`;
}

/** Replaces every occurrence of the given secrets in a text with their masked form. */
export function redact(text: string, secrets: (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 8) out = out.split(s).join(mask(s));
  return out;
}
