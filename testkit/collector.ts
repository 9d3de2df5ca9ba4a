import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { startCollector } from './collector-standin/collector.ts';
import { AWS } from './clouds.ts';
import { closedPort } from './http.ts';

export interface CollectorStandIn {
  honeycomb?: { url: string; key: string };
  xray?: { url: string; region: string };
  /** Runs with CLOUDWATCH_LOGS=true, its exporter pointed here. */
  cloudwatchLogs?: { url: string; group?: string; stream?: string };
  /** false: accepts spans and drops them, as a collector whose exporters fail. */
  deliver?: boolean;
  corsOrigins?: string[];
}

const CONFIG_DIR = fileURLToPath(new URL('../otel-collector/', import.meta.url));
const COMPOSE = fileURLToPath(new URL('../docker-compose.yml', import.meta.url));
const composeCommand = (): string[] => parse(readFileSync(COMPOSE, 'utf8')).services['otel-collector'].command ?? [];

/** The --feature-gates flags docker-compose.yml gives the collector: the tests run what users run. */
export function composeGates(): string[] {
  return composeCommand().filter((a) => a.startsWith('--feature-gates=')).map((a) => a.slice('--feature-gates='.length));
}

/**
 * The --config files docker-compose.yml gives the collector, with compose's own ${VAR:-default}
 * filled from `vars` and the container's mount (/etc/otelcol-contrib) mapped to otel-collector/.
 */
export function composeConfigs(vars: Record<string, string | undefined>): string[] {
  return composeCommand()
    .filter((a) => a.startsWith('--config='))
    .map((a) => a.slice('--config='.length).replace(/\$\{([A-Z_]+):-([^}]*)\}/g, (_m, name: string, fallback: string) => vars[name] || fallback).replace('/etc/otelcol-contrib/', CONFIG_DIR));
}

/**
 * The collector stand-in on loopback, running the compose command's config files and feature
 * gates: OTLP/HTTP in, Honeycomb (x-honeycomb-team) and X-Ray (PutTraceSegments, segments as
 * the awsxray exporter makes them) out, and CloudWatch Logs when `cloudwatchLogs` is given. A destination not
 * given points at a closed loopback port, never at the real service.
 */
export async function startCollectorStandIn(opts: CollectorStandIn) {
  const state = { deliver: opts.deliver ?? true };
  const nowhere = `http://127.0.0.1:${await closedPort()}`;
  const cloudwatch = opts.cloudwatchLogs;
  const collector = await startCollector({
    configs: composeConfigs({ CLOUDWATCH_LOGS: cloudwatch ? 'true' : undefined }),
    gates: composeGates(),
    host: '127.0.0.1',
    ports: { otlpHttp: 0, health: 0 },
    log: () => {},
    accept: () => state.deliver,
    env: {
      HONEYCOMB_API_ENDPOINT: opts.honeycomb?.url ?? nowhere,
      HONEYCOMB_API_KEY: opts.honeycomb?.key ?? '',
      AWS_ENDPOINT_URL_XRAY: opts.xray?.url ?? nowhere,
      // The student's credentials, as docker-compose.yml gives the collector.
      ...AWS,
      AWS_REGION: opts.xray?.region ?? 'us-east-1',
      FRONTEND_URL: opts.corsOrigins?.[0] ?? '',
      ...(cloudwatch ? { AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: cloudwatch.url, CLOUDWATCH_LOG_GROUP: cloudwatch.group, CLOUDWATCH_LOG_STREAM: cloudwatch.stream } : {}),
    },
  });
  return {
    ...collector,
    setDeliver(deliver: boolean) {
      state.deliver = deliver;
    },
  };
}
