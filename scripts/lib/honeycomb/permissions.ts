// Honeycomb's API key permissions, by the names its key settings show, and the field of
// /1/auth's api_key_access that reports each. Sources: docs.honeycomb.io/api/permissions (which
// endpoint group needs which permission), docs.honeycomb.io/working-with-your-data/settings/api-keys
// (the UI names and what each allows), and the official Go client's AuthMetadata
// (honeycombio/terraform-provider-honeycombio, client/auth.go: events, markers, triggers, boards,
// queries, columns, createDatasets, slos, recipients, privateBoards). `columns` is "Manage Queries
// and Columns"; `queries` is "Run Queries" (the Query Data API) - not the other way round.
import type { Auth } from './api.ts';

export const PERMISSION = {
  sendEvents: { ui: 'Send Events', field: 'events' },
  createDatasets: { ui: 'Create Datasets', field: 'createDatasets' },
  manageQueries: { ui: 'Manage Queries and Columns', field: 'columns' },
  runQueries: { ui: 'Run Queries', field: 'queries' },
  boards: { ui: 'Manage Public Boards', field: 'boards' },
  markers: { ui: 'Manage Markers', field: 'markers' },
} as const;

export type Permission = keyof typeof PERMISSION;

/** What each of the project's calls needs (docs.honeycomb.io/api/permissions). */
export const NEEDS = {
  /** GET /1/datasets: the Datasets group. */
  listDatasets: ['createDatasets'],
  /** POST /1/queries, GET /1/query_annotations and the rest of Queries and Query Annotations. */
  saveQueries: ['manageQueries'],
  /** The Query Data API: POST /1/queries then /1/query_results; both permissions. */
  queryData: ['manageQueries', 'runQueries'],
  /** npm run honeycomb:board: queries, their annotations, the board. */
  board: ['manageQueries', 'boards'],
  /** The smoke's marker on the dataset's graphs. */
  markers: ['markers'],
  /** OTLP ingest by the collector; a dataset that does not exist yet also needs Create Datasets. */
  ingest: ['sendEvents'],
} satisfies Record<string, Permission[]>;

/** The permissions of `needs` the key does not have, by their UI names (empty: it may). */
export function missingPermissions(auth: Pick<Auth, 'api_key_access'>, needs: readonly Permission[]): string[] {
  const access = auth.api_key_access ?? {};
  return needs.filter((p) => access[PERMISSION[p].field] !== true).map((p) => PERMISSION[p].ui);
}

export const may = (auth: Pick<Auth, 'api_key_access'> | undefined, needs: readonly Permission[]): boolean => Boolean(auth) && missingPermissions(auth!, needs).length === 0;

/** "Manage Queries and Columns and Run Queries" */
export const named = (permissions: string[]): string => permissions.map((p) => `"${p}"`).join(' and ');
