import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildFrontend } from '../../testkit/frontend.ts';
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

test.run();
