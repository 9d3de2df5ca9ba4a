// The collector's configuration as the contrib distribution reads it, for the components this
// project's otel-collector/config.yaml uses. Anything else is refused at start-up, as otelcol
// refuses an unknown component type, so the config under test cannot drift from what the
// stand-in really does.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface Endpoint {
  host: string;
  port: number;
}

export interface OtlpHttpExporter {
  id: string;
  kind: 'otlp_http';
  endpoint: string;
  headers: Record<string, string>;
}

export interface XrayExporter {
  id: string;
  kind: 'awsxray';
  region: string;
  endpoint: string;
  indexed: string[];
}

export interface CloudWatchLogsExporter {
  id: string;
  kind: 'awscloudwatchlogs';
  group: string;
  stream: string;
  /** Days; 0 never expires (the group keeps what it has when it already exists). */
  retention: number;
  region: string;
  endpoint: string;
}

export type Exporter = OtlpHttpExporter | XrayExporter | CloudWatchLogsExporter;

export interface StandInConfig {
  health?: Endpoint;
  otlpHttp: Endpoint & { corsOrigins: string[]; corsHeaders: string[] };
  /** Each pipeline's exporters; a signal with no pipeline is refused by the receiver. */
  pipelines: { traces: Exporter[]; logs?: Exporter[] };
  warnings: string[];
}

// internal/aws/cwlogs/utils.go ValidateRetentionValue: the log_retention values accepted.
const RETENTION = new Set([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 2192, 2557, 2922, 3288, 3653]);

/**
 * Feature gates the stand-in models (go.opentelemetry.io/collector/featuregate): the flag
 * `--feature-gates=-id` turns one off, `id` or `+id` on; an unknown id fails start-up
 * ("no such feature gate"), and so does turning off a gate that has become stable.
 */
const GATES: Record<string, { stage: 'alpha' | 'beta' | 'stable'; enabled: boolean }> = {
  // exporter/awsxrayexporter/internal/translator/segment.go: registered in v0.97.0, beta.
  'exporter.xray.allowDot': { stage: 'beta', enabled: true },
};

export function featureGates(flags: string[]): Record<string, boolean> {
  const state = Object.fromEntries(Object.entries(GATES).map(([id, g]) => [id, g.enabled]));
  for (const flag of flags.flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean)) {
    const off = flag.startsWith('-');
    const id = flag.replace(/^[-+]/, '');
    const gate = GATES[id];
    if (!gate) throw new Error(`no such feature gate "${id}"`);
    if (gate.stage === 'stable' && off) throw new Error(`feature gate "${id}" is stable, can not be disabled`);
    state[id] = !off;
  }
  return state;
}

/**
 * confmap's env provider: ${env:NAME} and ${env:NAME:-default} (default when unset or empty);
 * a bare $NAME or ${NAME} is left for otelcol's own deprecated expansion, which this config avoids.
 */
export function expandEnv(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, fallback?: string) => {
    const value = env[name];
    return value === undefined || value === '' ? (fallback ?? '') : value;
  });
}

function endpoint(value: unknown, what: string): Endpoint {
  const m = /^(.*):(\d+)$/.exec(String(value ?? ''));
  if (!m) throw new Error(`${what}: endpoint "${String(value)}" is not host:port`);
  return { host: m[1] || '0.0.0.0', port: Number(m[2]) };
}

const typeOf = (id: string) => id.split('/')[0]!;

type Yaml = Record<string, any>;

/**
 * confmap's merge of repeated --config files (koanf maps.Merge): maps merge key by key, at
 * every depth; anything else, lists included, is replaced by the later file's value. (Appending
 * lists needs the confmap.enableMergeAppendOption gate, which this project does not use.)
 */
export function mergeConfig(into: Yaml, from: Yaml): Yaml {
  for (const [key, value] of Object.entries(from)) {
    const isMap = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v);
    into[key] = isMap(value) && isMap(into[key]) ? mergeConfig(into[key], value) : value;
  }
  return into;
}

/** Reads the config files (later files merge over earlier ones, as repeated --config flags do). */
export function loadConfig(paths: string[], env: Record<string, string | undefined>): StandInConfig {
  const merged: Yaml = {};
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      // otelcol: "failed to get config: cannot resolve the configuration: ... no such file or directory"
      throw new Error(`failed to get config: cannot resolve the configuration: unable to read the file file:${path}: open ${path}: no such file or directory`);
    }
    mergeConfig(merged, (parse(expandEnv(text, env)) ?? {}) as Yaml);
  }
  const warnings: string[] = [];
  const known: Record<string, string[]> = {
    receivers: ['otlp'],
    processors: ['batch', 'memory_limiter'],
    exporters: ['otlp_http', 'otlphttp', 'awsxray', 'awscloudwatchlogs', 'debug'],
    extensions: ['health_check'],
  };
  for (const [kind, types] of Object.entries(known)) {
    for (const id of Object.keys(merged[kind] ?? {})) {
      if (!types.includes(typeOf(id))) throw new Error(`'${kind}' unknown type: "${typeOf(id)}" for id: "${id}" (the stand-in knows ${types.join(', ')})`);
    }
  }
  const service = merged.service ?? {};
  const pipelines = service.pipelines ?? {};
  if (!pipelines.traces) throw new Error('service::pipelines: no traces pipeline');
  for (const [name, pipeline] of Object.entries(pipelines) as [string, Yaml][]) {
    if (name !== 'traces' && name !== 'logs') throw new Error(`service::pipelines::${name}: the stand-in runs traces and logs pipelines only`);
    for (const kind of ['receivers', 'processors', 'exporters'] as const) {
      for (const id of pipeline[kind] ?? []) {
        if (!(id in (merged[kind] ?? {}))) throw new Error(`service::pipelines::${name}: references ${kind.slice(0, -1)} "${id}" which is not configured`);
      }
    }
    // Which signals each exporter type has (its factory's With* options); awsxray is traces only,
    // awscloudwatchlogs logs only.
    for (const id of pipeline.exporters ?? []) {
      const type = typeOf(id);
      if ((type === 'awsxray' && name !== 'traces') || (type === 'awscloudwatchlogs' && name !== 'logs')) {
        throw new Error(`service::pipelines::${name}: exporter "${id}" does not support ${name}`);
      }
    }
  }

  const otlp = merged.receivers?.otlp?.protocols ?? {};
  // The stand-in is an OTLP/HTTP receiver only; a gRPC protocol here would be a port it cannot honour.
  if (otlp.grpc) throw new Error('receivers::otlp::protocols::grpc: the stand-in serves OTLP/HTTP only');
  const cors = otlp.http?.cors ?? {};
  const health = (service.extensions ?? []).includes('health_check') ? endpoint(merged.extensions?.health_check?.endpoint ?? '0.0.0.0:13133', 'health_check') : undefined;

  const exporter = (id: string): Exporter | undefined => {
    const cfg = (merged.exporters[id] ?? {}) as Yaml;
    const type = typeOf(id);
    // opentelemetry-collector PR #14397 (v0.144.0): builders/builders.go logs this for the old name.
    if (type === 'otlphttp') warnings.push(`"otlphttp" alias is deprecated; use "otlp_http" instead {"otelcol.component.id": "${id}"}`);
    if (type === 'otlp_http' || type === 'otlphttp') {
      return { id, kind: 'otlp_http', endpoint: String(cfg.endpoint ?? '').replace(/\/+$/, ''), headers: Object.fromEntries(Object.entries(cfg.headers ?? {}).map(([k, v]) => [k, String(v ?? '')])) };
    }
    if (type === 'awsxray') return { id, kind: 'awsxray', region: String(cfg.region ?? ''), endpoint: String(cfg.endpoint ?? ''), indexed: (cfg.indexed_attributes ?? []).map(String) };
    if (type === 'awscloudwatchlogs') {
      // exporter/awscloudwatchlogsexporter/config.go Validate.
      if (!cfg.log_group_name) throw new Error(`exporters::${id}: 'log_group_name' must be set`);
      if (!cfg.log_stream_name) throw new Error(`exporters::${id}: 'log_stream_name' must be set`);
      const retention = Number(cfg.log_retention ?? 0);
      if (!RETENTION.has(retention)) throw new Error(`exporters::${id}: invalid value for retention policy.  Please make sure to use the following values: 0 (Never Expire), ${[...RETENTION].slice(1).join(', ')}`);
      return { id, kind: 'awscloudwatchlogs', group: String(cfg.log_group_name), stream: String(cfg.log_stream_name), retention, region: String(cfg.region ?? ''), endpoint: String(cfg.endpoint ?? '') };
    }
    return undefined; // debug: drops what it gets
  };
  const exportersOf = (pipeline: Yaml) => ((pipeline.exporters ?? []) as string[]).map(exporter).filter((e): e is Exporter => e !== undefined);
  return {
    ...(health ? { health } : {}),
    otlpHttp: { ...endpoint(otlp.http?.endpoint ?? '0.0.0.0:4318', 'otlp http'), corsOrigins: (cors.allowed_origins ?? []).map(String), corsHeaders: (cors.allowed_headers ?? []).map(String) },
    pipelines: { traces: exportersOf(pipelines.traces), ...(pipelines.logs ? { logs: exportersOf(pipelines.logs) } : {}) },
    warnings: [...new Set(warnings)],
  };
}
