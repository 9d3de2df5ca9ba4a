// npm run honeycomb:board: the week's questions as saved queries on one Honeycomb board.
import { isMain, parseCli, UsageError } from './lib/terminal/cli.ts';
import { BOARD_NAME, BOARD_QUERIES, ensureBoard, missingForBoard, queryLinks } from './lib/honeycomb/board.ts';
import { named } from './lib/honeycomb/permissions.ts';
import { HoneycombApi, HoneycombError } from './lib/honeycomb/api.ts';
import { safeOutput } from './lib/terminal/secrets.ts';
import { loadSettings, type Settings } from './lib/workspace/settings.ts';
import { terminal, type Term } from './lib/terminal/term.ts';

export const HELP = `Usage: npm run honeycomb:board

Creates, or updates by name, the board "${BOARD_NAME}" in the Honeycomb environment of
HONEYCOMB_API_KEY: ${BOARD_QUERIES.length} named and described queries, one per question of the week
(latency heatmap, P90 and errors per route, page load, JavaScript errors, actions, time on
page, one user). In a new environment it first makes the datasets and columns the queries name
(a query may name only columns that exist); a question whose data has not arrived yet is left
off and named. Run it again at any time: it restores the board and brings it to today's queries.

It needs a configuration key with the permissions "Manage Queries and Columns" and "Manage
Public Boards" (Environment settings > API keys). With any other key it prints each query
as a link instead, and names what is missing.

Environment: HONEYCOMB_API_KEY, HONEYCOMB_API_ENDPOINT, OTEL_SERVICE_NAME (the backend's
dataset), FRONTEND_OTEL_SERVICE_NAME (the front end's; default frontend-react-js).`;

export async function honeycombBoard(argv: string[], options: { settings?: Settings; term?: Term } = {}): Promise<number> {
  const term = options.term ?? terminal();
  const c = term.color;
  try {
    const { values } = parseCli(argv, { help: { type: 'boolean', short: 'h' } });
    if (values.help) return (term.out(HELP), 0);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    term.err(c.red(err.message));
    return 1;
  }
  const settings = options.settings ?? loadSettings();
  const key = settings.honeycombKey?.value;
  const say = (line: string) => term.out(safeOutput(line, [key]));
  if (!key) {
    term.err(c.red('HONEYCOMB_API_KEY is not set: save it with npm run setup'));
    return 1;
  }
  const api = new HoneycombApi(settings.honeycombEndpoint.value, key);
  const datasets = { backend: settings.serviceName.value, frontend: settings.frontendServiceName.value, metrics: settings.metricsDataset.value };
  try {
    term.progress(c.dim('… asking Honeycomb what this key may do'));
    const auth = await api.auth();
    const place = { endpoint: settings.honeycombEndpoint.value, team: auth.team.slug, environment: auth.environment.slug };
    const missing = auth.type === 'ingest' ? ['an ingest key'] : missingForBoard(auth);
    if (missing.length) {
      const why = auth.type === 'ingest'
        ? 'This is an ingest key: it sends data but cannot save queries or boards.'
        : `This configuration key lacks ${missing.length > 1 ? 'the permissions' : 'the permission'} ${named(missing)}.`;
      say(`${c.yellow('!')} ${why} The queries, as links to open in Honeycomb:`);
      for (const q of queryLinks(place, datasets)) say(`  ${c.bold(q.name)}\n    ${q.url}`);
      say(`To make the board: a configuration key for environment "${auth.environment.name || auth.environment.slug}" with "Manage Queries and Columns" and "Manage Public Boards" (Environment settings > API keys), then npm run honeycomb:board.`);
      return auth.type === 'ingest' ? 0 : 1;
    }
    term.progress(c.dim(`… saving ${BOARD_QUERIES.length} queries and the board`));
    const out = await ensureBoard(api, datasets, auth);
    if (out.made.length) say(c.dim(`made first, for the queries to name: ${out.made.join(', ')}`));
    const where = auth.environment.name || auth.environment.slug;
    if (out.outcome === 'waiting') say(`${c.yellow('!')} no board yet: none of the week's data has reached environment ${where}, and this key may not make its datasets ("Create Datasets")`);
    else say(`${c.green('✔')} ${out.outcome} board "${BOARD_NAME}" with ${out.queries} of ${BOARD_QUERIES.length} queries in environment ${where}\n  ${out.url}`);
    for (const q of out.skipped) say(`${c.yellow('!')} not on it yet: ${q.name}: ${q.why}`);
    return 0;
  } catch (err) {
    const f = err instanceof HoneycombError ? err.fault : { cause: (err as Error).message, fix: 'run again' };
    term.err(safeOutput(c.red(`✘ ${f.cause}. ${f.fix}`), [key]));
    return 1;
  }
}

if (isMain(import.meta)) process.exitCode = await honeycombBoard(process.argv.slice(2));
