// X-Ray's filter expression language as the fake evaluates it, written from AWS's page
// "Using filter expressions" (X-Ray Developer Guide), independently of scripts/lib/aws/xray-filter.ts
// so the fake can disagree with the project's own reading. Covered: boolean keywords (ok, error,
// throttle, fault, partial) alone, negated with !, or compared with = / != true|false; number
// keywords (responsetime, duration, http.status) with = != < <= > >=; string keywords
// (http.url, http.method, user, annotation.KEY) with = != CONTAINS BEGINSWITH ENDSWITH; numbers
// and booleans for annotation values; service("name") and id(name: "x"); AND, OR and parentheses.

export interface TraceView {
  /** Names of the trace's segments (services), not of its subsegments. */
  services: Set<string>;
  annotations: Map<string, unknown[]>;
  duration: number;
  responsetime: number;
  http: { status?: number; url?: string; method?: string };
  flags: { ok: boolean; error: boolean; throttle: boolean; fault: boolean; partial: boolean };
  users: Set<string>;
}

export class FilterError extends Error {}

type Tok = { k: 'word' | 'str' | 'num' | 'op' | 'punct'; v: string };

const TOKEN = /\s*(?:"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?)(?![\w.])|(<=|>=|!=|=|<|>|!)|([(){},:])|([A-Za-z_][\w.\-]*))/y;

function tokens(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    if (!src.slice(i).trim()) break;
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(src);
    if (!m) throw new FilterError(`Invalid filter expression: unexpected character at ${i}: ${src.slice(i, i + 12)}`);
    i = TOKEN.lastIndex;
    if (m[1] !== undefined) out.push({ k: 'str', v: m[1] });
    else if (m[2] !== undefined) out.push({ k: 'num', v: m[2] });
    else if (m[3]) out.push({ k: 'op', v: m[3] });
    else if (m[4]) out.push({ k: 'punct', v: m[4] });
    else out.push({ k: 'word', v: m[5]! });
  }
  return out;
}

const BOOLEAN = ['ok', 'error', 'throttle', 'fault', 'partial'] as const;
const NUMBER = ['responsetime', 'duration', 'http.status'];
const STRING = ['http.url', 'http.method', 'http.useragent', 'http.clientip', 'user'];

type Pred = (t: TraceView) => boolean;

function compare(op: string, have: unknown, want: unknown): boolean {
  if (typeof want === 'number') {
    const n = Number(have);
    if (typeof have !== 'number' || Number.isNaN(n)) return false;
    return { '=': n === want, '!=': n !== want, '<': n < want, '<=': n <= want, '>': n > want, '>=': n >= want }[op] ?? false;
  }
  const s = String(have);
  const w = String(want);
  switch (op.toUpperCase()) {
    case '=':
      return have === want;
    case '!=':
      return have !== want;
    case 'CONTAINS':
      return typeof have === 'string' && s.includes(w);
    case 'BEGINSWITH':
      return typeof have === 'string' && s.startsWith(w);
    case 'ENDSWITH':
      return typeof have === 'string' && s.endsWith(w);
    default:
      return false;
  }
}

/** Compiles a filter expression, or throws FilterError as X-Ray refuses an invalid one. */
export function compileXrayFilter(src: string): Pred {
  const ts = tokens(src);
  let p = 0;
  const peek = () => ts[p];
  const isWord = (v: string) => peek()?.k === 'word' && peek()!.v.toUpperCase() === v;
  const expect = (k: Tok['k'], v?: string): Tok => {
    const t = ts[p];
    if (!t || t.k !== k || (v && t.v !== v)) throw new FilterError(`Invalid filter expression: expected ${v ?? k} at token ${p + 1}`);
    p++;
    return t;
  };
  const literal = (): string | number | boolean => {
    const t = ts[p++];
    if (!t) throw new FilterError('Invalid filter expression: a comparison needs a value');
    if (t.k === 'str') return t.v;
    if (t.k === 'num') return Number(t.v);
    if (t.k === 'word' && /^(true|false)$/i.test(t.v)) return t.v.toLowerCase() === 'true';
    throw new FilterError(`Invalid filter expression: ${t.v} is not a value`);
  };
  const operator = (allowed: string[]): string => {
    const t = ts[p];
    const op = t?.k === 'op' ? t.v : t?.k === 'word' ? t.v.toUpperCase() : '';
    if (!allowed.includes(op)) throw new FilterError(`Invalid filter expression: operator ${t?.v ?? '(none)'} not allowed here`);
    p++;
    return op;
  };
  const or = (): Pred => {
    let left = and();
    while (isWord('OR')) {
      p++;
      const [l, r] = [left, and()];
      left = (t) => l(t) || r(t);
    }
    return left;
  };
  const and = (): Pred => {
    let left = unary();
    while (isWord('AND')) {
      p++;
      const [l, r] = [left, unary()];
      left = (t) => l(t) && r(t);
    }
    return left;
  };
  const unary = (): Pred => {
    if (peek()?.k === 'op' && peek()!.v === '!') {
      p++;
      const inner = unary();
      return (t) => !inner(t);
    }
    if (isWord('NOT')) {
      p++;
      const inner = unary();
      return (t) => !inner(t);
    }
    return atom();
  };
  const atom = (): Pred => {
    const t = peek();
    if (!t) throw new FilterError('Invalid filter expression: it ends too early');
    if (t.k === 'punct' && t.v === '(') {
      p++;
      const inner = or();
      expect('punct', ')');
      return inner;
    }
    const word = expect('word').v;
    const lower = word.toLowerCase();
    if (lower === 'service' || lower === 'id') {
      expect('punct', '(');
      if (peek()?.k === 'word' && peek()!.v === 'name') (p++, expect('punct', ':'));
      const name = expect('str').v;
      while (peek() && !(peek()!.k === 'punct' && peek()!.v === ')')) p++; // type: "..." is accepted and ignored
      expect('punct', ')');
      return (tv) => tv.services.has(name);
    }
    if ((BOOLEAN as readonly string[]).includes(lower)) {
      const flag = lower as (typeof BOOLEAN)[number];
      if (peek()?.k === 'op' && (peek()!.v === '=' || peek()!.v === '!=')) {
        const op = operator(['=', '!=']);
        const v = literal();
        if (typeof v !== 'boolean') throw new FilterError(`Invalid filter expression: ${word} compares with true or false`);
        return (tv) => (op === '=') === (tv.flags[flag] === v);
      }
      return (tv) => tv.flags[flag];
    }
    if (NUMBER.includes(lower)) {
      const op = operator(['=', '!=', '<', '<=', '>', '>=']);
      const v = literal();
      if (typeof v !== 'number') throw new FilterError(`Invalid filter expression: ${word} compares with a number`);
      return (tv) => compare(op, lower === 'http.status' ? tv.http.status : tv[lower as 'duration' | 'responsetime'], v);
    }
    if (STRING.includes(lower)) {
      const op = operator(['=', '!=', 'CONTAINS', 'BEGINSWITH', 'ENDSWITH']);
      const v = literal();
      return (tv) => (lower === 'user' ? [...tv.users].some((u) => compare(op, u, v)) : compare(op, tv.http[lower.slice(5) as 'url' | 'method'], v));
    }
    if (lower.startsWith('annotation.')) {
      const key = word.slice('annotation.'.length);
      const op = operator(['=', '!=', '<', '<=', '>', '>=', 'CONTAINS', 'BEGINSWITH', 'ENDSWITH']);
      const v = literal();
      return (tv) => (tv.annotations.get(key) ?? []).some((have) => compare(op, have, v));
    }
    throw new FilterError(`Invalid filter expression: unknown keyword ${word}`);
  };
  const pred = or();
  if (p !== ts.length) throw new FilterError(`Invalid filter expression: unexpected ${ts[p]!.v} at token ${p + 1}`);
  return pred;
}
