import { findDataset, keyInfo } from '../../lib/honeycomb.ts';
import { honeycombDataset, latencyQueries } from '../../lib/links.ts';
import { fail, pass, skip, warn, type Check } from '../types.ts';

const STALE_MS = 24 * 3600 * 1000;

export function ago(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 129600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

export const honeycombDatasetCheck: Check = {
  id: 'honeycomb.dataset',
  group: 'honeycomb',
  title: 'the service’s dataset',
  required: false,
  async run({ settings, shared }) {
    if (!shared.api) return skip('needs a usable key (see honeycomb.key)');
    if (!keyInfo(settings.honeycombKey!.value).canRead) return skip('an ingest key cannot list datasets; a configuration key can');
    // Both at once: the list does not need the auth's answer to be asked, only to be read.
    const [auth, datasets] = await Promise.all([shared.honeycombAuth(), shared.honeycombDatasets()]);
    if (!auth.ok) return skip('needs the key to authenticate (see honeycomb.auth)');
    if (!datasets.ok) return fail(datasets.fault.cause, datasets.fault.fix);
    const service = settings.serviceName.value;
    const place = { endpoint: settings.honeycombEndpoint.value, team: auth.value.team.slug, environment: auth.value.environment.slug };
    const dataset = findDataset(datasets.value, service);
    if (!dataset) {
      const others = datasets.value.map((d) => d.name).slice(0, 5).join(', ');
      return warn(
        `no dataset "${service}" in environment "${auth.value.environment.name}" yet${others ? ` (there are: ${others})` : ''}`,
        `it appears with the first span: run npm run smoke, or check OTEL_SERVICE_NAME is ${service} in the backend container`,
      );
    }
    const links = { dataset: honeycombDataset(place, dataset.slug), ...latencyQueries(place, dataset.slug) };
    if (!dataset.last_written_at) return warn(`dataset "${service}" exists but was never written`, 'send traffic (npm run smoke) and check the collector forwards it (npm run doctor -- --only stack)', links);
    const age = Date.now() - Date.parse(dataset.last_written_at);
    if (age > STALE_MS) {
      return warn(`dataset "${service}" was last written ${ago(dataset.last_written_at)}`, 'nothing has arrived lately: npm run smoke says which hop is broken', links);
    }
    return pass(`dataset "${service}" last written ${ago(dataset.last_written_at)}`, links);
  },
};
