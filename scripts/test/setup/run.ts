import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { setup } from '../../setup/main.ts';

/**
 * `npm run setup -- --non-interactive` with exactly `env` (no PATH, so no real docker or gp),
 * saving into a fresh folder's .env. The other region is probed at the same endpoint, so a
 * fault injected there is not escaped by a look at the real other region.
 */
export async function runSetup(env: Record<string, string | undefined>): Promise<{ code: number; printed: string; dotenvPath: string }> {
  const output = new PassThrough();
  let printed = '';
  output.on('data', (d) => (printed += d));
  const dotenvPath = join(mkdtempSync(join(tmpdir(), 'setup-run-')), '.env');
  const code = await setup(['--non-interactive'], { env: { HOME: '/nonexistent', PATH: '/nonexistent', ...env }, dotenvPath, output, honeycombOtherRegion: env.HONEYCOMB_API_ENDPOINT });
  return { code, printed, dotenvPath };
}
