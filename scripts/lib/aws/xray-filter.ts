/**
 * A subset of X-Ray's filter expression language, enough for the course's groups and the
 * smoke's queries: service("name"), annotation.key = value (string, number, boolean),
 * AND, OR, NOT and parentheses. Anything else is refused as X-Ray refuses a bad expression.
 */
export interface TraceFacts {
  services: Set<string>;
  annotations: Map<string, unknown[]>;
}

type Token = { t: 'word' | 'str' | 'num' | 'op' | '(' | ')'; v: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\()|(\))|"((?:[^"\\]|\\.)*)"|(!=|=)|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_.]*))/y;
  let i = 0;
  while (i < src.length) {
    if (/^\s*$/.test(src.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m) throw new Error(`Invalid filter expression near "${src.slice(i, i + 10)}"`);
    i = re.lastIndex;
    if (m[1]) tokens.push({ t: '(', v: '(' });
    else if (m[2]) tokens.push({ t: ')', v: ')' });
    else if (m[3] !== undefined) tokens.push({ t: 'str', v: m[3] });
    else if (m[4]) tokens.push({ t: 'op', v: m[4] });
    else if (m[5]) tokens.push({ t: 'num', v: m[5] });
    else tokens.push({ t: 'word', v: m[6]! });
  }
  return tokens;
}

export function compileFilter(src: string): (facts: TraceFacts) => boolean {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = (t?: Token['t']): Token => {
    const tok = tokens[pos];
    if (!tok || (t && tok.t !== t)) throw new Error(`Invalid filter expression: expected ${t ?? 'a value'} at token ${pos}`);
    pos++;
    return tok;
  };
  type Pred = (f: TraceFacts) => boolean;
  /** Terms of `next` joined by the word, left to right; AND's terms bind tighter than OR's. */
  const joined = (word: 'OR' | 'AND', next: () => Pred, both: (l: boolean, r: () => boolean) => boolean) => (): Pred => {
    let left = next();
    while (peek()?.t === 'word' && peek()!.v.toUpperCase() === word) {
      take();
      const l = left;
      const r = next();
      left = (f) => both(l(f), () => r(f));
    }
    return left;
  };
  const or: () => Pred = joined('OR', () => and(), (l, r) => l || r());
  const and: () => Pred = joined('AND', () => unary(), (l, r) => l && r());
  const unary = (): Pred => {
    if (peek()?.t === 'word' && peek()!.v.toUpperCase() === 'NOT') {
      take();
      const inner = unary();
      return (f) => !inner(f);
    }
    return atom();
  };
  const atom = (): Pred => {
    const tok = peek();
    if (tok?.t === '(') {
      take('(');
      const inner = or();
      take(')');
      return inner;
    }
    const word = take('word').v;
    if (word === 'service') {
      take('(');
      const name = take('str').v;
      take(')');
      return (f) => f.services.has(name);
    }
    if (word.startsWith('annotation.')) {
      const key = word.slice('annotation.'.length);
      const op = take('op').v;
      const lit = take();
      const value = lit.t === 'num' ? Number(lit.v) : lit.t === 'word' && /^(true|false)$/.test(lit.v) ? lit.v === 'true' : lit.v;
      return (f) => {
        const has = (f.annotations.get(key) ?? []).some((v) => v === value);
        return op === '=' ? has : !has;
      };
    }
    throw new Error(`Invalid filter expression: unsupported keyword ${word}`);
  };
  const pred = or();
  if (pos !== tokens.length) throw new Error('Invalid filter expression: unexpected trailing input');
  return pred;
}
