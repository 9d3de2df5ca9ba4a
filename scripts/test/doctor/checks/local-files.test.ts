import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { localFilesIn } from '../../../doctor/checks/local-files.ts';
import { loadSettings } from '../../../lib/workspace/settings.ts';
import { runCheck } from '../helpers.ts';

const settings = (mode?: string) => loadSettings({ HOME: '/nonexistent', ...(mode ? { CRUDDUR_LOCAL_FILES: mode } : {}) }, {});

test('workspace.local-files: unset says how to turn it on; off is skipped as chosen; on with nothing yet, with files (their room), and with a cut line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cruddur-doctor-telemetry-'));
  const check = localFilesIn(dir);
  let r = await runCheck(check, settings());
  assert.equal([r.status, r.detail.replace(relative(process.cwd(), dir), 'DIR')], ['warn', 'CRUDDUR_LOCAL_FILES is not set: the collector keeps nothing in DIR']);
  assert.match(r.fix!, /^npm run up saves CRUDDUR_LOCAL_FILES=on \(with your user\) in \.env/);
  r = await runCheck(check, settings('off'));
  assert.equal([r.status, r.detail], ['skip', 'CRUDDUR_LOCAL_FILES=off: local files are off, as chosen']);
  r = await runCheck(check, settings('on'));
  assert.equal([r.status, r.detail.replace(relative(process.cwd(), dir), 'DIR')], ['warn', 'nothing in DIR yet']);
  writeFileSync(join(dir, 'traces.jsonl'), `${'{"resourceSpans":[]}\n'.repeat(60_000)}`);
  writeFileSync(join(dir, 'metrics-2026-12-06T10-00-00.000.jsonl'), '{"resourceMetrics":[]}\n');
  r = await runCheck(check, settings('on'));
  assert.equal([r.status, r.detail.replace(relative(process.cwd(), dir), 'DIR')], ['pass', '2 files in DIR, 1.2 MB (at most about 715 MB: traces 505, logs 105, metrics 105)']);
  appendFileSync(join(dir, 'traces.jsonl'), '{"resourceSpans":[{"reso');
  r = await runCheck(check, settings('on'));
  assert.is(r.status, 'warn');
  assert.match(r.detail, /; traces\.jsonl ends in a line cut short$/);
});

test.run();
