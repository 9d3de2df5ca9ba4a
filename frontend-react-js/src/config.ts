/**
 * Where the browser finds the backend and the collector: its own origin by default, whose
 * server (Vite in dev, nginx in prod) proxies /api to the backend and /v1/traces to the
 * collector. One origin works behind every workspace's port proxy, needs no public API or
 * collector port, and costs no CORS preflight. A split deployment (the API on its own domain)
 * names them at build time with VITE_BACKEND_URL and VITE_OTEL_COLLECTOR_URL.
 */
export const backendUrl = (): string => import.meta.env.VITE_BACKEND_URL || window.location.origin;

export const collectorUrl = (): string => import.meta.env.VITE_OTEL_COLLECTOR_URL || window.location.origin;
