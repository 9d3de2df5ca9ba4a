import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildFrontend, gzipSize, TRACING_BUDGET_BYTES } from '../../testkit/frontend.ts';
import { KEYS } from '../../testkit/honeycomb.ts';
import { scanForSecrets } from '../../testkit/secret-scan.ts';

const exported = {
  HONEYCOMB_API_KEY: KEYS.ingest,
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  // The course's mistake: a key under a VITE_ name would be bundled, so make sure none is.
  OTEL_EXPORTER_OTLP_HEADERS: `x-honeycomb-team=${KEYS.ingest}`,
};

test('the scanner finds a key planted in a build', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scan-'));
  writeFileSync(join(dir, 'app.js'), `fetch(u,{headers:{"X-Honeycomb-Team":"${KEYS.config}"}})`);
  const found = scanForSecrets(dir, [KEYS.config]);
  assert.ok(found.length >= 2, JSON.stringify(found));
});

test('a production build holds no key, no AWS credential and no key header, even with them exported', async () => {
  const dist = await buildFrontend({ ...exported, VITE_BACKEND_URL: 'https://4567-ws.gitpod.io', VITE_OTEL_COLLECTOR_URL: 'https://4318-ws.gitpod.io' });
  const found = scanForSecrets(dist, Object.values(exported));
  assert.equal(found, [], `secrets in dist/: ${JSON.stringify(found)}`);
});

test('a production build ships no source maps, unless asked for', async () => {
  const files = (dir: string) => readdirSync(dir, { recursive: true }).map(String);
  assert.equal(files(await buildFrontend({})).filter((f) => f.endsWith('.map')), []);
  assert.ok(files(await buildFrontend({ BUILD_SOURCEMAP: 'true' })).some((f) => f.endsWith('.js.map')));
});

test('browser tracing adds less than 40 KB gzipped to the bundle', async () => {
  const added = gzipSize(await buildFrontend({})) - gzipSize(await buildFrontend({ VITE_TRACING: 'off' }));
  assert.ok(added > 10_000, `${added} bytes: is tracing in the build at all?`);
  assert.ok(added < TRACING_BUDGET_BYTES, `tracing adds ${(added / 1024).toFixed(1)} KB gzipped (npm run bench:frontend)`);
});

/** The gzipped size of what index.html loads itself: the script and styles before the first render. */
function entrySize(dist: string): number {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  assert.ok(files.some((f) => f.endsWith('.js')), `index.html loads a script: ${html}`);
  return files.reduce((n, f) => n + gzipSync(readFileSync(join(dist, f))).length, 0);
}

test('before the first render tracing adds under 5 KB gzipped; the SDK is a chunk of its own, loaded later', async () => {
  const on = await buildFrontend({});
  const added = entrySize(on) - entrySize(await buildFrontend({ VITE_TRACING: 'off' }));
  assert.ok(added < 5 * 1024, `tracing adds ${(added / 1024).toFixed(1)} KB gzipped to the entry (npm run bench:frontend)`);
  const sdk = readdirSync(join(on, 'assets')).find((f) => /^sdk-.*\.js$/.test(f));
  assert.ok(sdk, 'the SDK chunk');
  assert.not.match(readFileSync(join(on, 'index.html'), 'utf8'), new RegExp(sdk!), 'index.html does not preload it');
});

test.run();
