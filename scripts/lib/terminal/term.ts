/** Output that reads well in a terminal and degrades cleanly in CI logs and pipes. */
export interface Term {
  out(line?: string): void;
  err(line: string): void;
  /** Rewrites one status line in place on a terminal; elsewhere prints only its final state. */
  progress(line: string): void;
  done(line: string): void;
  readonly tty: boolean;
  color: Colors;
}

export interface Colors {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  cyan(s: string): string;
}

const paint = (on: boolean, code: number, reset: number) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[${reset}m` : s);

/** The same terminal, with every line passed through `filter` first (secrets masked). */
export function filteredTerm(term: Term, filter: (line: string) => string): Term {
  return {
    tty: term.tty,
    color: term.color,
    out: (line = '') => term.out(filter(line)),
    err: (line) => term.err(filter(line)),
    progress: (line) => term.progress(filter(line)),
    done: (line) => term.done(filter(line)),
  };
}

export function colors(on: boolean): Colors {
  return {
    red: paint(on, 31, 39),
    green: paint(on, 32, 39),
    yellow: paint(on, 33, 39),
    cyan: paint(on, 36, 39),
    dim: paint(on, 2, 22),
    bold: paint(on, 1, 22),
  };
}

export function terminal(stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr, env = process.env): Term {
  const tty = Boolean(stdout.isTTY) && env.CI !== 'true';
  const useColor = tty && !env.NO_COLOR;
  let pending = false;
  const clear = () => {
    if (pending) stdout.write('\r\x1b[2K');
    pending = false;
  };
  return {
    tty,
    color: colors(useColor),
    out(line = '') {
      clear();
      stdout.write(`${line}\n`);
    },
    err(line) {
      clear();
      stderr.write(`${line}\n`);
    },
    progress(line) {
      if (!tty) return;
      stdout.write(`\r\x1b[2K${line}`);
      pending = true;
    },
    done(line) {
      clear();
      stdout.write(`${line}\n`);
    },
  };
}

/** A terminal that records lines, for tests and for --json runs (which print only JSON). */
export function silentTerm(): Term & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    tty: false,
    color: colors(false),
    out: (line = '') => void lines.push(line),
    err: (line) => void lines.push(line),
    progress: () => {},
    done: (line) => void lines.push(line),
  };
}
