import { networkFault } from '../../lib/net/faults.ts';
import { addressFault, type Setting, type Settings } from '../../lib/workspace/settings.ts';
import { lastVerdict } from '../../lib/workspace/start-verdict.ts';
import { host, publicUrl } from '../../lib/workspace/host.ts';
import { fail, pass, skip, type Check, type Finding } from '../types.ts';

/** The collector's health_check extension listens on 13133 of the collector's host. */
export function collectorHealthUrl(settings: Settings): string {
  if (settings.collectorHealthUrl) return settings.collectorHealthUrl.value;
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

/** An address setting that is no URL fails on its own words: "is it running?" would send the student to the wrong place. */
function notAnAddress(s: Setting): Finding | undefined {
  const f = addressFault(s);
  return f && fail(f.cause, f.fix);
}

export const collectorHealth: Check = {
  id: 'stack.collector-health',
  group: 'stack',
  title: 'collector health',
  async run({ settings }) {
    // The health URL set is checked as set; else the collector's address it is made from.
    const wrong = notAnAddress(settings.collectorHealthUrl ?? settings.collectorUrl);
    if (wrong) return wrong;
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
    if (!settings.splitMode) return skip('one origin: the browser posts spans to the front end\'s /v1/traces, so the collector needs no CORS (split mode sets VITE_OTEL_COLLECTOR_URL)');
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
    const wrong = notAnAddress(settings.backendUrl);
    if (wrong) return wrong;
    const url = `${settings.backendUrl.value.replace(/\/+$/, '')}/api/health-check`;
    const res = await get(url, 'the backend', 'backend-flask-ts');
    if (isFinding(res)) return res;
    if (!res.ok) return fail(`${url} answered ${res.status}`, 'docker compose logs backend-flask-ts shows why');
    return pass(`${url} answered ${res.status}`);
  },
};

/** Where the student's browser opens the app on this host, and who may: said, never fetched. */
function browserUrl(settings: Settings): string {
  const where = host(settings.env);
  const saved = lastVerdict()?.frontend;
  // The start's verdict holds what it opened (and who may open it) or where else to look.
  if (where === 'ona') return saved ?? "your editor's Ports view (port 3000)";
  if (where === 'codespaces') return `${publicUrl(3000, settings.env)} (a private Codespaces port: only you, signed in to GitHub, can open it, so the doctor checks the server behind it)`;
  if (where === 'gitpod-classic') return publicUrl(3000, settings.env);
  return settings.frontendServerUrl.value;
}

export const frontendUp: Check = {
  id: 'stack.frontend',
  group: 'stack',
  title: 'front end',
  async run({ settings }) {
    // The server the host's port forwarding reaches, from inside the workspace: a forwarded
    // private URL answers a login page to anyone but the student's browser.
    const wrong = notAnAddress(settings.frontendServerUrl);
    if (wrong) return wrong;
    const url = settings.frontendServerUrl.value;
    const res = await get(url, 'the front end', 'frontend-react-js');
    if (isFinding(res)) return res;
    if (!res.ok) return fail(`${url} answered ${res.status}`, 'docker compose logs frontend-react-js shows why');
    const body = await res.text().catch(() => '');
    if (!/<div id="root">/.test(body)) return fail(`${url} answered, but not with the Cruddur app: another program holds port 3000`, 'stop it (lsof -i :3000 names it), then docker compose up -d frontend-react-js');
    return pass(`${url} serves the app; the browser opens ${browserUrl(settings)}`);
  },
};

/** What a proxied answer says about the hop behind it: Vite answers 500 and nginx 502/504 when the target is down. */
function proxyFault(res: Response, body: string, url: string, target: string, compose: string): Finding | undefined {
  if (/^\s*<!doctype html/i.test(body)) {
    return fail(`${url} answered with the app's page, not ${target}: the front end's server does not proxy this path`, 'the proxy is in frontend-react-js/vite.config.ts (server.proxy) and nginx.conf; recreate the front end: docker compose up -d --build frontend-react-js');
  }
  if ([500, 502, 503, 504].includes(res.status)) {
    return fail(`${url} answered ${res.status}: the front end is up, but its proxy cannot reach ${target}`, `start it: docker compose up -d ${compose}; docker compose logs ${compose} says why it is down`);
  }
  return undefined;
}

export const frontendApiProxy: Check = {
  id: 'stack.frontend-api',
  group: 'stack',
  title: "the front end's /api reaches the backend",
  async run({ settings }) {
    const wrong = notAnAddress(settings.frontendServerUrl);
    if (wrong) return wrong;
    const url = `${settings.frontendServerUrl.value.replace(/\/+$/, '')}/api/health-check`;
    const res = await get(url, 'the front end', 'frontend-react-js');
    if (isFinding(res)) return res;
    const body = await res.text();
    const fault = proxyFault(res, body, url, 'the backend', 'backend-flask-ts');
    if (fault) return fault;
    if (!res.ok) return fail(`${url} answered ${res.status}`, 'docker compose logs backend-flask-ts shows why');
    return pass(`${url} answered ${res.status} through the front end's proxy: the browser's path to the API works`);
  },
};

export const frontendOtlpProxy: Check = {
  id: 'stack.frontend-otlp',
  group: 'stack',
  title: "the front end's /v1/traces reaches the collector",
  async run({ settings }) {
    const wrong = notAnAddress(settings.frontendServerUrl);
    if (wrong) return wrong;
    const url = `${settings.frontendServerUrl.value.replace(/\/+$/, '')}/v1/traces`;
    // An empty export: the collector answers it as it answers the browser's, and it adds no data.
    const res = await get(url, 'the front end', 'frontend-react-js', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resourceSpans":[]}' });
    if (isFinding(res)) return res;
    const body = await res.text();
    const fault = proxyFault(res, body, url, 'the collector', 'otel-collector');
    if (fault) return fault;
    if (!res.ok) return fail(`${url} answered ${res.status}: ${body.slice(0, 80)}`, 'docker compose logs otel-collector shows why it refuses OTLP');
    return pass(`${url} accepted an OTLP export through the front end's proxy: the browser's path to the collector works`);
  },
};
