import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { startCollector } from './collector-standin/collector.ts';
import { AWS } from './clouds.ts';
import { closedPort } from './http.ts';

export interface CollectorStandIn {
  honeycomb?: { url: string; key: string };
  xray?: { url: string; region: string };
  /** false: accepts spans and drops them, as a collector whose exporters fail. */
  deliver?: boolean;
  corsOrigins?: string[];
}

const CONFIG = fileURLToPath(new URL('../otel-collector/config.yaml', import.meta.url));
const COMPOSE = fileURLToPath(new URL('../docker-compose.yml', import.meta.url));

/** The --feature-gates flags docker-compose.yml gives the collector: the tests run what users run. */
export function composeGates(): string[] {
  const command: string[] = parse(readFileSync(COMPOSE, 'utf8')).services['otel-collector'].command ?? [];
  return command.filter((a) => a.startsWith('--feature-gates=')).map((a) => a.slice('--feature-gates='.length));
}

/**
 * The collector stand-in on loopback, running otel-collector/config.yaml with the compose
 * command's feature gates: OTLP/HTTP in, Honeycomb (x-honeycomb-team) and X-Ray
 * (PutTraceSegments, segments as the awsxray exporter makes them) out. A destination not
 * given points at a closed loopback port, never at the real service.
 */
export async function startCollectorStandIn(opts: CollectorStandIn) {
  const state = { deliver: opts.deliver ?? true };
  const nowhere = `http://127.0.0.1:${await closedPort()}`;
  const collector = await startCollector({
    configs: [CONFIG],
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
    },
  });
  return {
    ...collector,
    setDeliver(deliver: boolean) {
      state.deliver = deliver;
    },
  };
}
