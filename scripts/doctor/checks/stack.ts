import { networkFault } from '../../lib/faults.ts';
import type { Settings } from '../../lib/settings.ts';
import { fail, pass, type Check, type Finding } from '../types.ts';

/** The collector's health_check extension listens on 13133 of the collector's host. */
export function collectorHealthUrl(settings: Settings): string {
  if (settings.env.OTEL_COLLECTOR_HEALTH_URL) return settings.env.OTEL_COLLECTOR_HEALTH_URL;
  const url = new URL(settings.collectorUrl.value);
  url.port = '13133';
  url.pathname = '/';
  return url.toString();
}

async function get(url: string, service: string, compose: string, init: RequestInit = {}): Promise<Response | Finding> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  } catch (err) {
    const f = networkFault(err, url, service, `start it: docker compose up -d ${compose}`) ?? { cause: `${url}: ${(err as Error).message}`, fix: `check ${service} is running` };
    return fail(f.cause, f.fix);
  }
}

const isFinding = (x: Response | Finding): x is Finding => !(x instanceof Response);

export const collectorHealth: Check = {
  id: 'stack.collector-health',
  group: 'stack',
  title: 'collector health',
  async run({ settings }) {
    const url = collectorHealthUrl(settings);
    const res = await get(url, 'the collector', 'otel-collector');
    if (isFinding(res)) return res;
    const body = await res.text();
    if (!res.ok) return fail(`${url} answered ${res.status}: ${body.slice(0, 80)}`, 'docker compose logs otel-collector shows why it is unhealthy (often a config error or a missing variable)');
    return pass(`${url} answered ${res.status}${/Server available/.test(body) ? ': Server available' : ''}`);
  },
};

export const collectorCors: Check = {
  id: 'stack.collector-cors',
  group: 'stack',
  title: 'collector CORS for the front end',
  async run({ settings }) {
    const url = `${settings.collectorUrl.value.replace(/\/+$/, '')}/v1/traces`;
    const origin = new URL(settings.frontendUrl.value).origin;
    const res = await get(url, 'the collector', 'otel-collector', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,traceparent' },
    });
    if (isFinding(res)) return res;
    const allowed = res.headers.get('access-control-allow-origin');
    const headers = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    const fix = `allow the origin in otel-collector/config.yaml (receivers.otlp.protocols.http.cors.allowed_origins reads FRONTEND_URL, now ${origin}) with traceparent in allowed_headers, then docker compose up -d --force-recreate otel-collector`;
    if (allowed !== origin && allowed !== '*') return fail(`the collector refuses the browser at ${origin}: its preflight answer has no Access-Control-Allow-Origin for it`, fix);
    if (!headers.includes('traceparent')) return fail(`the collector allows ${origin} but not the traceparent header`, fix);
    return pass(`preflight from ${origin} allowed with traceparent`);
  },
};

export const backendHealth: Check = {
  id: 'stack.backend',
  group: 'stack',
  title: 'backend health check',
  async run({ settings }) {
    const url = `${settings.backendUrl.value.replace(/\/+$/, '')}/api/health-check`;
    const res = await get(url, 'the backend', 'backend-flask-ts');
    if (isFinding(res)) return res;
    if (!res.ok) return fail(`${url} answered ${res.status}`, 'docker compose logs backend-flask-ts shows why');
    return pass(`${url} answered ${res.status}`);
  },
};

export const frontendUp: Check = {
  id: 'stack.frontend',
  group: 'stack',
  title: 'front end',
  async run({ settings }) {
    const url = settings.frontendUrl.value;
    const res = await get(url, 'the front end', 'frontend-react-js');
    if (isFinding(res)) return res;
    if (!res.ok) return fail(`${url} answered ${res.status}`, 'docker compose logs frontend-react-js shows why');
    return pass(`${url} answered ${res.status}`);
  },
};
