/**
 * Where the browser finds the backend and the collector. Build-time VITE_* values win;
 * otherwise they are derived from the page's own URL, so the same build works on localhost
 * and behind a workspace's port URLs (Gitpod: 3000-<ws>, Codespaces: <ws>-3000.<domain>).
 */
export function portUrl(port: number, location: { protocol: string; host: string; hostname: string }): string {
  const gitpod = /^3000-(.+)$/.exec(location.host);
  if (gitpod) return `${location.protocol}//${port}-${gitpod[1]}`;
  const codespaces = /^(.+)-3000\.(.+)$/.exec(location.host);
  if (codespaces) return `${location.protocol}//${codespaces[1]}-${port}.${codespaces[2]}`;
  return `${location.protocol}//${location.hostname}:${port}`;
}

export const backendUrl = (): string => import.meta.env.VITE_BACKEND_URL || portUrl(4567, window.location);

export const collectorUrl = (): string => import.meta.env.VITE_OTEL_COLLECTOR_URL || portUrl(4318, window.location);
