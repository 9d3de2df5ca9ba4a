export interface Config {
  port: number;
  /** The address to listen on: every interface unless LISTEN_HOST names one (Ona's host network: 127.0.0.1). */
  host?: string;
  frontendUrl: string;
  backendUrl: string;
  debugRoutes: boolean;
}

/** A configuration mistake the person starting the server can fix; server.ts prints it as one line. */
export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const rawPort = env.PORT?.trim() || '4567';
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT="${rawPort}" is not a port number: set PORT to a number from 1 to 65535 (default 4567)`);
  }
  return {
    port,
    host: env.LISTEN_HOST?.trim() || undefined,
    frontendUrl: origin(env, 'FRONTEND_URL', 'http://localhost:3000'),
    backendUrl: origin(env, 'BACKEND_URL', `http://localhost:${port}`),
    debugRoutes: env.ENABLE_DEBUG_ROUTES === 'true',
  };
}

// CORS compares origins exactly, so "https://x.gitpod.io/" must become "https://x.gitpod.io".
function origin(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name]?.trim() || fallback;
  // URL.canParse accepts "localhost:3000" as scheme "localhost:", so insist on http(s).
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new ConfigError(`${name}="${value}" is not a URL: set it to the page's origin, e.g. ${fallback}`);
  }
  return url.origin;
}
