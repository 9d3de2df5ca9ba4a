import { host, publicUrl } from '../../lib/workspace/host.ts';
import { pass, warn, type Check } from '../types.ts';

/** URL variables the course saved with gp env, each with the port it names. */
const URLS: Record<string, number> = { FRONTEND_URL: 3000, BACKEND_URL: 4567, OTEL_COLLECTOR_PUBLIC_URL: 4318, VITE_BACKEND_URL: 4567, VITE_OTEL_COLLECTOR_URL: 4318 };

/**
 * A workspace URL saved in .env or gp env is right for one workspace only: the next one has
 * a new URL, and the saved value wins over the derived one. With one origin none is needed.
 */
export const savedUrls: Check = {
  id: 'workspace.saved-urls',
  group: 'workspace',
  title: 'no stale workspace URL saved',
  async run({ settings }) {
    const where = host(settings.env);
    if (where === 'local') return pass('not a cloud workspace: localhost URLs do not go stale');
    const stale = Object.entries(URLS).flatMap(([name, port]) => {
      const value = settings.env[name];
      if (!value) return [];
      const derived = publicUrl(port, settings.env);
      const origin = URL.canParse(value) ? new URL(value).origin : value;
      return origin === derived ? [] : [{ name, value, derived, inDotenv: settings.dotenv[name] !== undefined }];
    });
    if (!stale.length) return pass(`no saved URL disagrees with this workspace's (${publicUrl(3000, settings.env)})`);
    const fixes = stale.map((s) => (s.inDotenv ? `delete the ${s.name} line from .env` : where === 'gitpod-classic' ? `gp env -u ${s.name}, then unset ${s.name} in this terminal` : `unset ${s.name} where it is set (${where === 'ona' ? 'an Ona secret' : where === 'codespaces' ? 'a Codespaces secret' : 'your shell profile'}, ~/.bashrc)`));
    return warn(
      `${stale.map((s) => `${s.name}=${s.value} is not this workspace's URL (${s.derived})`).join('; ')}: a saved URL goes stale with every new workspace, and one origin needs none`,
      `${fixes.join('; ')}; then docker compose up -d`,
    );
  },
};
