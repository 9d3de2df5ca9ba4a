// The local default's browser half: the journey through a stack on this machine (the build
// served as nginx.conf serves it, the real backend, the real collector keeping its local
// files), judged from those files alone, and the reasons it does not run, each said.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startBackend, type Backend } from '../../../testkit/backend.ts';
import { startCollector, type Collector } from '../../../testkit/collector.ts';
import { buildFrontend } from '../../../testkit/frontend.ts';
import { closedPort, listen, type Running } from '../../../testkit/http.ts';
import { serveStatic } from '../../../testkit/static-server.ts';
import { setUp } from '../../../testkit/suite-setup.ts';
import { loadSettings } from '../../lib/workspace/settings.ts';
import { silentTerm } from '../../lib/terminal/term.ts';
import { cannotWalk, runLocalJourney } from '../../smoke/local-browser.ts';

interface Ctx {
  dir: string;
  collector: Collector;
  backend: Backend;
  site: Running;
  setupError?: Error;
}

const t = suite<Ctx>('the local default’s journey, judged from the collector’s files');
setUp(
  t,
  async (ctx) => {
    ctx.dir = mkdtempSync(join(tmpdir(), 'cruddur-local-journey-'));
    ctx.collector = await startCollector({ localFiles: ctx.dir });
    ctx.backend = await startBackend({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: ctx.collector.url } });
    ctx.site = await serveStatic(await buildFrontend({}), { '/api/': ctx.backend.url, '/v1/traces': ctx.collector.url });
  },
  async (ctx) => {
    await ctx.backend?.stop();
    await Promise.all([ctx.site?.close(), ctx.collector?.close()]);
  },
);

const settings = (env: Record<string, string>) => loadSettings({ PATH: process.env.PATH, HOME: '/nonexistent', CRUDDUR_LOCAL_FILES: 'on', ...env }, {});

t('no account: the journey walks the running stack, its spans found in the collector’s files, joined, and the crud’s trace drawn from the page down to the backend', async (ctx) => {
  const term = silentTerm();
  const result = await runLocalJourney(settings({ FRONTEND_SERVER_URL: ctx.site.url }), term, 15_000, ctx.dir);
  assert.ok(!('skipped' in result), JSON.stringify(result));
  if ('skipped' in result) return;
  const out = term.lines.join('\n');
  assert.is(result.confirmed, true, `${result.error}\n${out}`);
  assert.match(out, /✔ the page’s spans reached the collector \(\d+ in its files, service frontend-react-js\)/);
  assert.match(out, /✔ one trace from the page to the backend: a backend span is the child of the page’s fetch/);
  // The waterfall: the page's click first, its fetch, then the backend's server span under it.
  const lines = out.split('\n');
  const click = lines.findIndex((l) => /^frontend-react-js: click /.test(l));
  const server = lines.findIndex((l) => /^\s+backend-flask: POST \/api\/activities /.test(l));
  assert.ok(click >= 0 && server > click, out);
});

t('what keeps it from running, each said in one line: no browser, no front end, someone else’s server, no local files', async (ctx) => {
  assert.match((await cannotWalk(settings({ CHROMIUM_PATH: '/nonexistent/chromium' }), ctx.dir))!, /^no browser here \(CHROMIUM_PATH=\/nonexistent\/chromium does not exist\): sudo apt-get install -y chromium/);
  const closed = `http://127.0.0.1:${await closedPort()}`;
  assert.is(await cannotWalk(settings({ FRONTEND_SERVER_URL: closed }), ctx.dir), `the front end is not running at ${closed}: npm run up starts the stack, and the journey walks it`);
  const other = await listen((_req, res) => void res.end('<html><body>my own app</body></html>'));
  try {
    assert.is(await cannotWalk(settings({ FRONTEND_SERVER_URL: other.url }), ctx.dir), `what answers at ${other.url} is not Cruddur's front end: set FRONTEND_SERVER_URL to it`);
  } finally {
    await other.close();
  }
  const empty = mkdtempSync(join(tmpdir(), 'cruddur-no-files-'));
  assert.match((await cannotWalk(settings({ FRONTEND_SERVER_URL: ctx.site.url, CRUDDUR_LOCAL_FILES: 'off' }), empty))!, /^the collector keeps nothing in .* \(CRUDDUR_LOCAL_FILES is not on; npm run up saves it\)/);
  assert.is(await cannotWalk(settings({ FRONTEND_SERVER_URL: ctx.site.url }), ctx.dir), undefined);
});

t.run();
