import react from '@vitejs/plugin-react';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version?: string };

/**
 * The commit the app was built or served from (APP_COMMIT, which the workspace start and the
 * image build pass; else git's, where the checkout is), so service.version says which code
 * made a span: 0.1.0+3f9a2c1. Without either it is the package's version alone.
 */
function commit(): string | undefined {
  if (process.env.APP_COMMIT && /^[0-9a-f]{7,40}$/.test(process.env.APP_COMMIT)) return process.env.APP_COMMIT.slice(0, 12);
  try {
    return execFileSync('git', ['rev-parse', '--short=7', 'HEAD'], { cwd: fileURLToPath(new URL('.', import.meta.url)), stdio: ['ignore', 'pipe', 'ignore'], timeout: 3000 }).toString().trim() || undefined;
  } catch {
    return undefined; // no git, or not a checkout (the dev container mounts src/ alone)
  }
}
const appVersion = [version ?? '0.0.0', commit()].filter(Boolean).join('+');

// One origin: the browser calls /api and posts spans to /v1/traces on this server, which
// forwards them (compose sets the targets to the services' names on its network).
const proxy = {
  '/api': { target: process.env.API_PROXY_TARGET || 'http://localhost:4567' },
  '/v1/traces': { target: process.env.OTEL_PROXY_TARGET || 'http://localhost:4318' },
};

export default defineConfig({
  plugins: [react()],
  // VITE_TRACING=off builds the app with no tracing code at all (bench/frontend-bundle's baseline).
  resolve: process.env.VITE_TRACING === 'off' ? { alias: [{ find: /^\.\/telemetry\/tracing\.ts$/, replacement: './telemetry/off.ts' }] } : {},
  // Only VITE_* variables reach the bundle; nothing secret is ever named so (a test checks dist/).
  define: { __APP_VERSION__: JSON.stringify(appVersion) },
  // No source maps in dist by default: they tripled what the prod image serves (1.9 MB), and the
  // dev server, which the workspace runs, has its own. BUILD_SOURCEMAP=true to debug a build.
  build: { target: 'es2022', sourcemap: process.env.BUILD_SOURCEMAP === 'true' },
  server: {
    host: '0.0.0.0',
    port: 3000,
    strictPort: true,
    // The workspace proxies (Gitpod, Codespaces) reach the dev server under their own host names.
    allowedHosts: ['localhost', '.gitpod.io', '.gitpod.dev', '.github.dev', '.app.github.dev'],
    proxy,
  },
  preview: { host: '0.0.0.0', port: 3000, strictPort: true, proxy },
});
