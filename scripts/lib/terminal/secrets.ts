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

/**
 * Replaces every occurrence of the given secrets in a text with their masked form: each as saved,
 * and as it travels, since what a server echoes is what it received, and an HTTP header value
 * loses its surrounding whitespace on the way (fetch normalises it), quotes around it too when
 * something strips them. The longest first, so no shorter form leaves a tail of a longer one.
 */
export function redact(text: string, secrets: Iterable<string | undefined>): string {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (!s) continue;
    for (const form of [s, s.trim(), s.trim().replace(/^(["'])(.*)\1$/s, '$2').trim()]) if (form.length >= 8) forms.add(form);
  }
  let out = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join(mask(form));
  return out;
}

/**
 * Everything the scripts print or encode as JSON goes through this: each known secret masked,
 * and the password of any URL (https://user:pass@host) hidden, however short.
 */
export function safeOutput(text: string, secrets: Iterable<string | undefined>): string {
  return redact(text, secrets).replace(/([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):[^\s/@]+@/gi, '$1:***@');
}

/** A value as it may be printed or kept as JSON: every string in it through safeOutput. */
export const safeJson = <T>(value: T, secrets: Iterable<string | undefined>): T => JSON.parse(safeOutput(JSON.stringify(value), secrets)) as T;

/**
 * What a server said, made safe to print: terminal escape sequences and control characters
 * removed (a team name holding ESC[31m must not repaint the terminal). Applied where server
 * text enters, before the scripts add colours of their own.
 */
export function printable(text: string): string {
  return text.replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '').replace(/\x1b[@-_]?/g, '').replace(/[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]/g, '');
}
