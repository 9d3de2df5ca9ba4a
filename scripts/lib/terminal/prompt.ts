import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { UsageError } from './cli.ts';

export interface Prompter {
  /** Asks for a line; a secret is not echoed. An empty answer takes the default. */
  ask(question: string, options?: { secret?: boolean; default?: string }): Promise<string>;
  confirm(question: string, yes?: boolean): Promise<boolean>;
  close(): void;
}

/**
 * Questions on a terminal or a pipe. Lines are queued as they arrive (readline drops lines
 * that come before a question is asked, which piped answers do), and a secret's echo is
 * swallowed by muting the stream readline echoes into.
 */
export function prompter(input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin, output: NodeJS.WritableStream = process.stdout): Prompter {
  const state = { muted: false };
  const echo = new Writable({
    write(chunk, _encoding, done) {
      if (!state.muted) output.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input, output: echo, terminal: Boolean(input.isTTY) });
  const lines: string[] = [];
  const waiting: { resolve: (line: string) => void; reject: (err: Error) => void }[] = [];
  let closed = false;
  rl.on('line', (line) => {
    const next = waiting.shift();
    if (next) next.resolve(line);
    else lines.push(line);
  });
  // On a terminal readline takes Ctrl-C for itself and only pauses: hand it back to the
  // process, whose SIGINT handler ends the command.
  rl.on('SIGINT', () => process.kill(process.pid, 'SIGINT'));
  rl.on('close', () => {
    closed = true;
    for (const w of waiting.splice(0)) w.reject(new UsageError('no answer: the input ended. To run without questions: npm run setup -- --non-interactive'));
  });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      if (lines.length) return resolve(lines.shift()!);
      if (closed) return reject(new UsageError('no answer: the input ended. To run without questions: npm run setup -- --non-interactive'));
      waiting.push({ resolve, reject });
    });

  return {
    async ask(question, { secret = false, default: fallback } = {}) {
      output.write(`${question}${fallback ? ` [${fallback}]` : ''}${secret ? ' (hidden)' : ''}: `);
      state.muted = secret;
      try {
        const answer = await nextLine();
        return answer === '' && fallback !== undefined ? fallback : answer;
      } finally {
        state.muted = false;
        if (secret && input.isTTY) output.write('\n');
      }
    },
    async confirm(question, yes = true) {
      const answer = (await this.ask(`${question} ${yes ? '[Y/n]' : '[y/N]'}`)).trim().toLowerCase();
      return answer === '' ? yes : answer.startsWith('y');
    },
    close: () => rl.close(),
  };
}
