import { datasetSlug, findDataset, HoneycombError, type HoneycombApi } from '../../lib/honeycomb/api.ts';
import { may, NEEDS } from '../../lib/honeycomb/permissions.ts';
import { honeycombDataset, latencyQueries } from '../../lib/honeycomb/links.ts';
import { fail, pass, skip, warn, type Check } from '../types.ts';

const STALE_MS = 24 * 3600 * 1000;

export function ago(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 129600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

/** Whether a dataset exists, asked by its columns (Manage Queries and Columns): 404 when it does not. */
async function exists(api: HoneycombApi, dataset: string): Promise<boolean> {
  try {
    await api.request('GET', `/1/columns/${encodeURIComponent(datasetSlug(dataset))}`);
    return true;
  } catch (err) {
    if (err instanceof HoneycombError && err.status === 404) return false;
    throw err;
  }
}

const CREATE_FIX = 'in Honeycomb (Environment settings > API keys), edit the key and enable "Create Datasets", then send again (npm run smoke); or send once with a key that has it, which makes the datasets for good';

export const honeycombDatasetCheck: Check = {
  id: 'honeycomb.dataset',
  group: 'honeycomb',
  title: 'the service’s dataset',
  // Required: a dataset the key cannot create loses every span sent to it.
  async run({ settings, shared }) {
    if (!shared.api) return skip('needs a usable key (see honeycomb.key)');
    const auth = await shared.authBeside(shared.honeycombDatasets);
    if (!auth.ok) return skip('needs the key to authenticate (see honeycomb.auth)');
    const service = settings.serviceName.value;
    const env = auth.value.environment.name;
    const ingest = auth.value.type === 'ingest';
    // Honeycomb makes a dataset on its first write only for a key with "Create Datasets"
    // (docs.honeycomb.io/working-with-your-data/settings/api-keys): without it, the spans of
    // a service whose dataset does not exist yet never appear.
    if (!may(auth.value, ['createDatasets'])) {
      const services = [service, settings.frontendServiceName.value];
      if (ingest || !may(auth.value, NEEDS.saveQueries)) {
        return warn(
          `this key lacks "Create Datasets": Honeycomb creates ${services.join(' and ')} on their first span only for a key that has it, so in a new environment they never appear (this key cannot tell whether they exist)`,
          CREATE_FIX,
        );
      }
      const missing = [];
      try {
        for (const name of services) if (!(await exists(shared.api, name))) missing.push(name);
      } catch (err) {
        // Honeycomb failing to answer is its fault, not the doctor's crash.
        if (err instanceof HoneycombError) return fail(err.fault.cause, err.fault.fix);
        throw err;
      }
      if (missing.length) {
        return fail(`dataset ${missing.map((m) => `"${m}"`).join(' and ')} does not exist in environment "${env}", and this key lacks "Create Datasets": Honeycomb drops its spans instead of creating it`, CREATE_FIX);
      }
      return pass(`datasets ${services.map((m) => `"${m}"`).join(' and ')} exist in environment "${env}" (the key cannot create new ones, and need not)`);
    }
    // The Datasets endpoints take a configuration key (docs.honeycomb.io/api/permissions).
    if (ingest || !shared.mayRead) return skip('an ingest key cannot list datasets; it has "Create Datasets", so they appear with the first span');
    const datasets = await shared.honeycombDatasets();
    if (!datasets.ok) return fail(datasets.fault.cause, datasets.fault.fix);
    const place = { endpoint: settings.honeycombEndpoint.value, team: auth.value.team.slug, environment: auth.value.environment.slug };
    const dataset = findDataset(datasets.value, service);
    if (!dataset) {
      const others = datasets.value.map((d) => d.name).slice(0, 5).join(', ');
      return warn(
        `no dataset "${service}" in environment "${env}" yet${others ? ` (there are: ${others})` : ''}`,
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

/** The metrics dataset (HONEYCOMB_METRICS_DATASET): the host's memory lands there every 30 s. */
export const honeycombMetricsCheck: Check = {
  id: 'honeycomb.metrics',
  group: 'honeycomb',
  title: 'the metrics dataset',
  required: false,
  async run({ settings, shared }) {
    if (!shared.api) return skip('needs a usable key (see honeycomb.key)');
    const auth = await shared.authBeside(shared.honeycombDatasets);
    if (!auth.ok) return skip('needs the key to authenticate (see honeycomb.auth)');
    if (auth.value.type === 'ingest' || !may(auth.value, NEEDS.listDatasets)) return skip('listing datasets takes a configuration key with "Create Datasets"');
    const datasets = await shared.honeycombDatasets();
    if (!datasets.ok) return fail(datasets.fault.cause, datasets.fault.fix);
    const name = settings.metricsDataset.value;
    const place = { endpoint: settings.honeycombEndpoint.value, team: auth.value.team.slug, environment: auth.value.environment.slug };
    const dataset = findDataset(datasets.value, name);
    const fix = 'the collector writes it every 30 s once it runs with the key: docker compose up -d otel-collector; docker compose logs otel-collector names a failing otlp_http/honeycomb-metrics';
    // Metrics sent without an x-honeycomb-dataset header land in unknown_metrics
    // (docs.honeycomb.io/send-data/metrics, "Metrics Sent to unknown_metrics").
    const stray = findDataset(datasets.value, 'unknown_metrics');
    if (!dataset?.last_written_at && stray?.last_written_at) {
      return warn(
        `no metrics in dataset "${name}", but "unknown_metrics" was written ${ago(stray.last_written_at)}: metrics arrive without the x-honeycomb-dataset header that names their dataset`,
        `the collector's otlp_http/honeycomb-metrics exporter sets it from HONEYCOMB_METRICS_DATASET (otel-collector/config.yaml): restore that header, then docker compose up -d otel-collector`,
      );
    }
    if (!dataset?.last_written_at) return warn(`no metrics in dataset "${name}" of environment "${auth.value.environment.name}" yet`, fix);
    const links = { dataset: honeycombDataset(place, dataset.slug) };
    // Three collection intervals without a write: the collector is down or cannot send.
    if (Date.now() - Date.parse(dataset.last_written_at) > 3 * 30_000 + 60_000) return warn(`dataset "${name}" was last written ${ago(dataset.last_written_at)}: the host's metrics have stopped`, fix, links);
    return pass(`dataset "${name}" written ${ago(dataset.last_written_at)} (the host's memory and the backend's runtime)`, links);
  },
};
