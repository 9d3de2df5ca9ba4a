import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { LOCAL_TELEMETRY, telemetryFiles } from '../../lib/local/store.ts';
import { REPO_ROOT } from '../../lib/workspace/settings.ts';
import { pass, skip, warn, type Check } from '../types.ts';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The most the collector keeps, read from its own config (each signal: the file and its backups). */
export function localFilesBound(config = join(REPO_ROOT, 'otel-collector', 'local-files-on.yaml')): string {
  const exporters = (parse(readFileSync(config, 'utf8')) as { exporters: Record<string, { rotation: { max_megabytes: number; max_backups: number } }> }).exporters;
  const limits = Object.entries(exporters).map(([name, e]) => ({ signal: name.replace('file/', ''), mb: e.rotation.max_megabytes * (e.rotation.max_backups + 1) }));
  return `at most about ${limits.reduce((n, l) => n + l.mb, 0)} MB: ${limits.map((l) => `${l.signal} ${l.mb}`).join(', ')}`;
}

/**
 * What the collector keeps in the workspace for npm run board:local (CRUDDUR_LOCAL_FILES=on):
 * where, how much room it takes (and the most it can, from the collector's rotation settings);
 * or why there is none.
 */
export const localFilesIn = (dir: string): Check => ({
  id: 'workspace.local-files',
  group: 'workspace',
  title: 'local telemetry (npm run board:local)',
  required: false,
  async run({ settings }) {
    const shown = relative(process.cwd(), dir) || dir;
    const mode = settings.env.CRUDDUR_LOCAL_FILES;
    if (mode !== 'on') {
      if (mode === undefined) return warn(`CRUDDUR_LOCAL_FILES is not set: the collector keeps nothing in ${shown}`, 'npm run up saves CRUDDUR_LOCAL_FILES=on (with your user) in .env and restarts the stack; then npm run board:local answers the week\'s questions with no account');
      return skip(`CRUDDUR_LOCAL_FILES=${mode}: local files are off, as chosen`);
    }
    const files = telemetryFiles(dir);
    const bytes = files.reduce((n, f) => n + f.bytes, 0);
    if (!files.length || !bytes) return warn(`nothing in ${shown} yet`, 'the collector writes there once the stack runs (docker compose up -d otel-collector); use the app, or npm run smoke');
    const cut = files.filter((f) => f.cut).map((f) => relative(dir, f.path));
    const detail = `${files.length} files in ${shown}, ${mb(bytes)} (${localFilesBound()})`;
    if (cut.length) return warn(`${detail}; ${cut.join(', ')} ends in a line cut short`, 'npm run board:local reads around it; a collector that stopped mid-write (a full disk?) is the usual cause: df -h .');
    return pass(detail);
  },
});

/** The folder docker-compose.yml mounts for the collector, which the workspace start makes. */
export const localFiles = localFilesIn(LOCAL_TELEMETRY);
