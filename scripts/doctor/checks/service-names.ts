import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../lib/workspace/settings.ts';
import { fail, pass, skip, type Check } from '../types.ts';

/** A compose value with ${NAME} and ${NAME:-default} resolved against the workspace's values. */
export function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}/g, (_m, name: string, fallback = '') => env[name] || fallback);
}

/** Each service's name as it reports to Honeycomb, read from the compose file. */
export async function serviceNames(composeYaml: string, env: Record<string, string | undefined>): Promise<Record<string, string>> {
  // Loaded here, not with the check: yaml is 72 modules, and the checks that wait on the
  // network have sent their requests by the time this runs.
  const { parse } = await import('yaml');
  const compose = parse(composeYaml) as { services: Record<string, { environment?: Record<string, string> }> };
  const names: Record<string, string> = {};
  for (const [service, def] of Object.entries(compose.services)) {
    const raw = def.environment?.OTEL_SERVICE_NAME ?? def.environment?.VITE_OTEL_SERVICE_NAME;
    if (raw) names[service] = interpolate(String(raw), env);
  }
  return names;
}

export const serviceNamesCheck: Check = {
  id: 'honeycomb.service-names',
  group: 'honeycomb',
  title: 'one service name per service',
  required: false,
  async run({ settings }) {
    const path = join(REPO_ROOT, 'docker-compose.yml');
    if (!existsSync(path)) return skip('no docker-compose.yml to read');
    const names = await serviceNames(readFileSync(path, 'utf8'), settings.env);
    const byName = new Map<string, string[]>();
    for (const [service, name] of Object.entries(names)) byName.set(name, [...(byName.get(name) ?? []), service]);
    const shared = [...byName].filter(([, services]) => services.length > 1);
    const list = Object.entries(names).map(([s, n]) => `${s} as "${n}"`).join(', ');
    if (shared.length) {
      const [name, services] = shared[0]!;
      return fail(
        `${services.join(' and ')} all report as "${name}": their spans share one dataset and one X-Ray node, so nobody can tell which hop a span came from`,
        'give each its own name: OTEL_SERVICE_NAME for the backend (the course\'s X-Ray group expects backend-flask), FRONTEND_OTEL_SERVICE_NAME for the front end',
      );
    }
    return pass(list);
  },
};
