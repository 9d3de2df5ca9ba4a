import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { publicUrl } from './host.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export type Source = 'environment' | '.env' | 'default';

/** A resolved setting and where it came from, so output can say "HONEYCOMB_API_ENDPOINT (from .env)". */
export interface Setting {
  name: string;
  value: string;
  source: Source;
}

export const HONEYCOMB_US = 'https://api.honeycomb.io';
export const HONEYCOMB_EU = 'https://api.eu1.honeycomb.io';

/** Where the stack listens on this machine (docker-compose.yml publishes each on localhost). */
export const LOCAL_ADDRESSES = { OTEL_COLLECTOR_URL: 'http://localhost:4318', BACKEND_URL: 'http://localhost:4567', FRONTEND_SERVER_URL: 'http://localhost:3000' } as const;

/** An address setting that is not an http(s) URL: what is wrong and its fix; undefined when it is one. */
export function addressFault(s: Setting): { cause: string; fix: string } | undefined {
  try {
    if (['http:', 'https:'].includes(new URL(s.value).protocol)) return undefined;
  } catch {
    // not a URL at all: said below
  }
  const like = LOCAL_ADDRESSES[s.name as keyof typeof LOCAL_ADDRESSES];
  return { cause: `${s.name} is ${JSON.stringify(s.value)} (${s.source}), not an http(s) URL`, fix: like ? `set it to an address like ${like}` : 'set it to an http(s) URL' };
}

/** The same, in one line. */
export function addressProblem(s: Setting): string | undefined {
  const f = addressFault(s);
  return f && `${f.cause}: ${f.fix}`;
}

export interface Settings {
  /** The environment and `.env` merged, the environment winning (what compose would pass on). */
  env: Record<string, string | undefined>;
  /** The two apart, for checks that compare where a value came from. */
  shell: Record<string, string | undefined>;
  dotenv: Record<string, string>;
  honeycombKey?: Setting;
  honeycombEndpoint: Setting;
  honeycombEnvironment?: Setting;
  serviceName: Setting;
  /** The browser's service name (compose gives the front end VITE_OTEL_SERVICE_NAME from it): its dataset. */
  frontendServiceName: Setting;
  /** The dataset Honeycomb keeps OTLP metrics in (the collector names it in x-honeycomb-dataset). */
  metricsDataset: Setting;
  /** Always set: compose gives the collector us-east-1 when neither variable is. */
  awsRegion: Setting;
  xrayGroup: Setting;
  /** CLOUDWATCH_LOGS: "true" sends logs to CloudWatch Logs too (compose picks the collector config by it). */
  cloudwatchLogs: Setting;
  logGroup: Setting;
  logStream: Setting;
  collectorUrl: Setting;
  /** OTEL_COLLECTOR_HEALTH_URL: the collector's health check, when it is not at 13133 of collectorUrl's host. */
  collectorHealthUrl?: Setting;
  backendUrl: Setting;
  frontendUrl: Setting;
  /** Where this terminal reaches the front end's own server (the browser's one origin sits in front of it). */
  frontendServerUrl: Setting;
  /** Split mode: the page was built to call the API or the collector on another origin (CORS). */
  splitMode: boolean;
  /** Some AWS credential source is present (keys, profile, files, web identity, container). */
  awsCredentials: boolean;
}

/** Reads `.env` the way docker compose does; a missing file is no values, a garbled one an error. */
export function readDotEnv(path = join(REPO_ROOT, '.env')): Record<string, string> {
  if (!existsSync(path)) return {};
  return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
}

/**
 * Every name the scripts use, from the environment first and `.env` second (as compose
 * resolves them), else the default. Nothing here reads process.env behind the caller's back,
 * so tests pass the environment they want.
 */
export function loadSettings(env: Record<string, string | undefined> = process.env, dotenv = readDotEnv()): Settings {
  const merged: Record<string, string | undefined> = { ...dotenv, ...env };
  const get = (name: string): Setting | undefined => {
    if (env[name] !== undefined && env[name] !== '') return { name, value: env[name]!, source: 'environment' };
    if (dotenv[name] !== undefined && dotenv[name] !== '') return { name, value: dotenv[name]!, source: '.env' };
    return undefined;
  };
  const orDefault = (name: string, value: string): Setting => get(name) ?? { name, value, source: 'default' };
  const home = merged.HOME ?? homedir();
  return {
    env: merged,
    shell: env,
    dotenv,
    honeycombKey: get('HONEYCOMB_API_KEY'),
    honeycombEndpoint: orDefault('HONEYCOMB_API_ENDPOINT', HONEYCOMB_US),
    honeycombEnvironment: get('HONEYCOMB_ENVIRONMENT'),
    serviceName: orDefault('OTEL_SERVICE_NAME', 'backend-flask'),
    frontendServiceName: orDefault('FRONTEND_OTEL_SERVICE_NAME', 'frontend-react-js'),
    metricsDataset: orDefault('HONEYCOMB_METRICS_DATASET', 'cruddur-metrics'),
    // As docker-compose.yml gives the collector its region: AWS_REGION, else AWS_DEFAULT_REGION,
    // else us-east-1. Whatever the checks ask is where the collector exports.
    awsRegion: get('AWS_REGION') ?? get('AWS_DEFAULT_REGION') ?? { name: 'AWS_REGION', value: 'us-east-1', source: 'default' },
    xrayGroup: orDefault('XRAY_GROUP', 'Cruddur'),
    // The defaults docker-compose.yml gives the collector.
    cloudwatchLogs: orDefault('CLOUDWATCH_LOGS', 'false'),
    logGroup: orDefault('CLOUDWATCH_LOG_GROUP', 'cruddur'),
    logStream: orDefault('CLOUDWATCH_LOG_STREAM', 'cruddur-workspace'),
    collectorUrl: orDefault('OTEL_COLLECTOR_URL', LOCAL_ADDRESSES.OTEL_COLLECTOR_URL),
    collectorHealthUrl: get('OTEL_COLLECTOR_HEALTH_URL'),
    backendUrl: orDefault('BACKEND_URL', LOCAL_ADDRESSES.BACKEND_URL),
    // The origin the browser has: the workspace's public URL in Gitpod and Codespaces.
    frontendUrl: orDefault('FRONTEND_URL', publicUrl(3000, merged)),
    frontendServerUrl: orDefault('FRONTEND_SERVER_URL', LOCAL_ADDRESSES.FRONTEND_SERVER_URL),
    splitMode: Boolean(merged.VITE_BACKEND_URL || merged.VITE_OTEL_COLLECTOR_URL),
    awsCredentials: Boolean(
      merged.AWS_ACCESS_KEY_ID ||
        merged.AWS_PROFILE ||
        merged.AWS_WEB_IDENTITY_TOKEN_FILE ||
        merged.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
        merged.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
        existsSync(merged.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials')) ||
        existsSync(merged.AWS_CONFIG_FILE ?? join(home, '.aws', 'config')),
    ),
  };
}

export const describeSource = (s: Setting): string => (s.source === 'default' ? `${s.name} unset, default` : `${s.name} from ${s.source}`);

/** The values no output may show unmasked: the Honeycomb key and the AWS secrets, as given. */
export const settingsSecrets = (s: Settings): (string | undefined)[] => [s.honeycombKey?.value, s.env.AWS_SECRET_ACCESS_KEY, s.env.AWS_SESSION_TOKEN];
