// The collector the tests run is the one compose pins: the builder's manifest at the pinned
// release with exactly the components otel-collector/*.yaml use, and the compose command's
// config files and feature gates accepted by that binary.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { REPO_ROOT } from '../scripts/lib/workspace/settings.ts';
import { sendSpans } from '../scripts/lib/otlp/send.ts';
import { canaryTrace } from '../scripts/lib/otlp/canary.ts';
import { startClouds } from '../testkit/clouds.ts';
import { composeService, onThisMachine, startCollector } from '../testkit/collector.ts';
import { KEYS } from '../testkit/honeycomb.ts';
import { waitFor } from '../testkit/http.ts';
import { collectorBinary, manifest, pinnedImage } from '../testkit/otelcol-binary.ts';

const run = promisify(execFile);
const CONFIG_DIR = join(REPO_ROOT, 'otel-collector');
const KINDS = ['receivers', 'processors', 'exporters', 'extensions', 'connectors'] as const;

/** Component types the config files name ("otlp_http/honeycomb" is of type otlp_http). */
function typesUsed(): Record<(typeof KINDS)[number], Set<string>> {
  const used = Object.fromEntries(KINDS.map((k) => [k, new Set<string>()])) as Record<(typeof KINDS)[number], Set<string>>;
  for (const file of readdirSync(CONFIG_DIR).filter((f) => f.endsWith('.yaml'))) {
    const doc = parse(readFileSync(join(CONFIG_DIR, file), 'utf8')) ?? {};
    for (const kind of KINDS) for (const id of Object.keys(doc[kind] ?? {})) used[kind].add(id.split('/')[0]!);
  }
  return used;
}

/** `otelcol-contrib components`: each component type the binary has, and its Go module. */
async function components(bin: string): Promise<Record<string, { name: string; module: string }[]>> {
  const { stdout } = await run(bin, ['components']);
  return parse(stdout);
}

const t = suite('the collector: otel-collector/builder/ at the compose pin');

t('the manifest, the binary and docker-compose.yml are at one release', async () => {
  const { version } = pinnedImage();
  assert.match(version, /^\d+\.\d+\.\d+$/, 'a pinned release, not a moving tag');
  assert.is(manifest().version, version, 'builder-config.yaml dist.version');
  for (const m of manifest().modules.filter((m) => m.kind !== 'providers')) assert.is(m.version, `v${version}`, m.gomod);
  const bin = await collectorBinary();
  if (bin.how !== 'OTELCOL_BIN') assert.is(bin.version, version);
});

t('the manifest lists exactly the components the config files use, and the binary has each', async () => {
  const bin = await collectorBinary();
  const have = await components(bin.path);
  const used = typesUsed();
  const listed = new Set(manifest().modules.map((m) => m.gomod));
  for (const kind of KINDS) {
    const inBinary = (have[kind] ?? []).map((c) => c.name).sort();
    assert.equal(inBinary, [...used[kind]].sort(), `${kind}: the binary has what the configs use, nothing more`);
    for (const c of have[kind] ?? []) assert.ok(listed.has(c.module.split(' ')[0]!), `${c.module} comes from the manifest`);
  }
});

t('it accepts the compose command for CLOUDWATCH_LOGS unset, false and true, and refuses another value at start-up', async () => {
  const bin = await collectorBinary();
  const validate = async (vars: Record<string, string>) => {
    const { args, env } = onThisMachine(await composeService(vars));
    return run(bin.path, ['validate', ...args], { env: { ...env, HOME: '/nonexistent' } }).then(
      () => 'valid',
      (err: { stderr: string }) => err.stderr,
    );
  };
  for (const value of [undefined, 'false', 'true']) assert.is(await validate(value ? { CLOUDWATCH_LOGS: value } : {}), 'valid', `CLOUDWATCH_LOGS=${value}`);
  assert.match(await validate({ CLOUDWATCH_LOGS: 'yes' }), /logs-cloudwatch-yes\.yaml: no such file/);
  for (const value of [undefined, 'off', 'on']) assert.is(await validate({ CLOUDWATCH_LOGS: 'true', ...(value ? { CRUDDUR_LOCAL_FILES: value } : {}) }), 'valid', `CRUDDUR_LOCAL_FILES=${value}, with CloudWatch Logs too`);
});

t('with CRUDDUR_LOCAL_FILES=on it keeps what it receives in the workspace as OTLP JSON lines, one file a signal, beside the cloud pipelines', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cruddur-telemetry-'));
  const clouds = await startClouds();
  const collector = await startCollector({ honeycomb: { url: clouds.honeycomb.url, key: KEYS.enterprise }, xray: { url: clouds.xray.url }, localFiles: dir });
  try {
    const canary = canaryTrace('backend-flask', 'files');
    assert.ok((await sendSpans(canary.spans, `${collector.url}/v1/traces`, {})).ok);
    const lines = await waitFor(() => {
      const text = existsSync(join(dir, 'traces.jsonl')) ? readFileSync(join(dir, 'traces.jsonl'), 'utf8') : '';
      return text.includes(canary.smokeId) ? text.trim().split('\n') : undefined;
    }, 10_000, 'the canary in traces.jsonl');
    const request = JSON.parse(lines.find((l) => l.includes(canary.smokeId))!);
    assert.ok(Array.isArray(request.resourceSpans), 'an ExportTraceServiceRequest in OTLP JSON');
    assert.ok(await waitFor(() => (existsSync(join(dir, 'metrics.jsonl')) && readFileSync(join(dir, 'metrics.jsonl'), 'utf8').includes('system.memory.usage') ? true : undefined), 40_000, "the host's memory in metrics.jsonl"));
    // The cloud pipelines are as they were: the same spans reached Honeycomb.
    await waitFor(() => clouds.honeycomb.datasets(KEYS.enterprise).get('backend-flask')?.events.some((e) => e.attributes['app.smoke_id'] === canary.smokeId) || undefined, 10_000, 'the canary in Honeycomb');
  } finally {
    await collector.close();
    await clouds.close();
  }
});

t('exporter.xray.allowDot is not stable at the pin, so the compose command may still turn it off', async () => {
  const bin = await collectorBinary();
  const { stdout } = await run(bin.path, ['featuregate']);
  const gate = stdout.split('\n').find((l) => l.startsWith('exporter.xray.allowDot '));
  assert.ok(gate, 'the release knows the gate (an unknown one fails start-up)');
  assert.not.match(gate!, /\bStable\b/, gate);
  const service = await composeService({});
  assert.ok(service.command.includes('--feature-gates=-exporter.xray.allowDot'), service.command.join(' '));
});

t.run();
