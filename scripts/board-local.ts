// npm run board:local: the week's questions answered with no account, from what the collector kept
// in the workspace (.cruddur/telemetry), with the board's own query specs on an embedded DuckDB.
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { answerBoard, type Answer } from './lib/local/board.ts';
import { renderPage } from './lib/local/page.ts';
import { renderBoard } from './lib/local/render.ts';
import { LOCAL_TELEMETRY, openStore, telemetryFiles, type Store } from './lib/local/store.ts';
import { BOARD_QUERIES } from './lib/honeycomb/board.ts';
import { isMain, parseCli, UsageError } from './lib/terminal/cli.ts';
import { terminal, type Term } from './lib/terminal/term.ts';
import { loadSettings, type Settings } from './lib/workspace/settings.ts';

export const HELP = `Usage: npm run board:local [-- options]

Answers the week's ${BOARD_QUERIES.length} questions (the same queries npm run honeycomb:board saves in
Honeycomb) from the files the collector keeps in the workspace, with no account: a latency
heatmap, P90 and errors per route, page load, JavaScript errors, actions, time on page, memory.
The collector keeps them when CRUDDUR_LOCAL_FILES=on, which the workspace start saves in .env.

Options:
  --dir <folder>    where the files are (default .cruddur/telemetry)
  --html [file]     also write one page with charts, to open in a browser (default: board.html
                    beside the folder, .cruddur/board.html)
  --json            the answers as JSON
  -h, --help        this text`;

export async function boardLocal(argv: string[], options: { settings?: Settings; term?: Term; now?: Date } = {}): Promise<number> {
  const term = options.term ?? terminal();
  const c = term.color;
  let values;
  try {
    // --html takes a file or nothing: with nothing after it (or another option), the default.
    const args = argv.map((a, i) => (a === '--html' && (i === argv.length - 1 || argv[i + 1]!.startsWith('-')) ? '--html=' : a));
    ({ values } = parseCli(args, { dir: { type: 'string' }, html: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } }));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    term.err(c.red(err.message));
    return 1;
  }
  if (values.help) return (term.out(HELP), 0);
  const settings = options.settings ?? loadSettings();
  const dir = values.dir ?? LOCAL_TELEMETRY;
  const shown = relative(process.cwd(), dir) || dir;
  const files = telemetryFiles(dir);
  if (!files.some((f) => f.signal !== 'logs' && f.bytes > 0)) {
    term.err(c.yellow(`no telemetry in ${shown} yet: the collector keeps it there once the stack runs with CRUDDUR_LOCAL_FILES=on (npm run up saves that in .env; then use the app, or npm run smoke)`));
    return 1;
  }
  for (const f of files.filter((x) => x.cut)) term.err(c.yellow(`${relative(dir, f.path)} ends in a line cut short (copied or cut mid-write): read without it`));
  term.progress(c.dim(`… reading ${files.length} files in ${shown}`));
  let store: Store;
  let answers: Answer[];
  try {
    // A file is read once (into its copy in .board/); the first run on a full folder takes a while.
    store = await openStore(dir, { onRead: (done, total) => term.progress(c.dim(`… reading ${shown}: ${done + 1} of ${total} new files`)) });
  } catch (err) {
    term.err(c.red(`could not read ${shown}: ${(err as Error).message.split('\n')[0]}`));
    term.err(`  what to do: check the room left (df -h ${shown}); delete ${join(shown, '.board')} to read every file again`);
    return 1;
  }
  try {
    const datasets = { backend: settings.serviceName.value, frontend: settings.frontendServiceName.value, metrics: settings.metricsDataset.value };
    try {
      answers = await answerBoard(store, datasets, { now: options.now });
    } catch (err) {
      term.err(c.red(`a question failed on ${shown}: ${(err as Error).message.split('\n')[0]}`));
      term.err(`  what to do: delete ${join(shown, '.board')} and run again; if it fails again, the message above is worth an issue`);
      return 1;
    }
    if (values.json) {
      term.out(JSON.stringify({ dir: shown, spans: store.counts.spans, metrics: store.counts.metrics, answers: answers.map((a) => ({ name: a.query.name, dataset: a.dataset, rows: a.rows, series: a.series, heatmap: a.heatmap })) }, null, 2));
    } else {
      term.out(c.bold(`The week's questions, from ${shown}: ${store.counts.spans} spans, ${store.counts.metrics} metric points`));
      term.out('');
      term.out(renderBoard(answers, 'last 24 h'));
    }
    if (values.html !== undefined) {
      // Beside the folder: .cruddur/board.html for the workspace's own.
      const page = values.html || join(dir, '..', 'board.html');
      writeFileSync(page, renderPage(answers, { source: shown, spans: store.counts.spans, metrics: store.counts.metrics }));
      term.out(`${c.green('✔')} the page: ${relative(process.cwd(), page) || page} (open it in a browser)`);
    }
    return 0;
  } finally {
    store.close();
  }
}

if (isMain(import.meta)) process.exitCode = await boardLocal(process.argv.slice(2));
