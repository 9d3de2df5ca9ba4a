// The workspace start in one process (harness.ts): the verdict as it is printed, kept in
// .cruddur/start and read back.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { lastVerdict, START_DIR, type Verdict } from '../../../lib/workspace/start-verdict.ts';
import { REPO_ROOT } from '../../../lib/workspace/settings.ts';
import { renderVerdict } from '../../../workspace-start.ts';
import { section } from './harness.ts';

const verdicts = section('the verdict as it is printed, kept and read back');

verdicts('each head, each line’s mark, notes, where to open the app, what to do next, and the timing', () => {
  const base: Verdict = { host: 'codespaces', startedAt: '2026-12-07T10:00:00.000Z', ok: true, mode: 'local', verdictMs: 12_345, stackMs: 4_650, lines: [{ ok: true, text: 'a works' }, { ok: false, text: 'b broken' }] };
  assert.is(
    renderVerdict({ ...base, notes: ['first note', 'second note'], frontend: 'https://x', next: 'do this' }),
    [
      'Cruddur workspace start on GitHub Codespaces, 2026-12-07T10:00:00.000Z: ✔ the local pipeline works',
      '  ✔ a works',
      '  ✘ b broken',
      '  · first note',
      '  · second note',
      '  open the app: https://x',
      '  next: do this',
      "  12.3 s from the container's start to this verdict (stack healthy after 4.7 s); log: .cruddur/start/start.log",
    ].join('\n'),
  );
  const head = (v: Partial<Verdict>) => renderVerdict({ ...base, ...v }).split('\n')[0]!.split(': ').slice(1).join(': ');
  assert.is(head({ mode: 'remote' }), '✔ every hop confirmed');
  assert.is(head({ ok: false }), '✘ some hops are broken');
  assert.is(head({ ok: false, mode: 'remote' }), '✘ some hops are broken');
  assert.is(head({ ok: false, mode: 'not started' }), '✘ the stack did not start');
  assert.is(head({ ok: true, mode: 'not started' }), '✘ the stack did not start', 'a stack that did not start is never a pass');
  assert.is(renderVerdict({ ...base, host: 'ona', stackMs: undefined, verdictMs: 950, lines: [] }), "Cruddur workspace start on Ona, 2026-12-07T10:00:00.000Z: ✔ the local pipeline works\n  0.9 s from the container's start to this verdict; log: .cruddur/start/start.log");
  assert.is(renderVerdict({ ...base, stackMs: 0, lines: [] }).split('\n')[1], "  12.3 s from the container's start to this verdict (stack healthy after 0.0 s); log: .cruddur/start/start.log");
});

verdicts('the verdict’s folder is the one the terminal banner reads: .cruddur/start of the checkout', () => {
  assert.is(START_DIR, join(REPO_ROOT, '.cruddur', 'start'));
  assert.match(readFileSync(join(REPO_ROOT, 'scripts', 'start-banner.sh'), 'utf8'), /dir="\$\(cd "\$\(dirname "\$\{BASH_SOURCE\[0\]\}"\)\/\.\." && pwd\)\/\.cruddur\/start"/);
});

verdicts('lastVerdict: none yet, one cut off mid-write, and one kept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cruddur-verdict-'));
  assert.is(lastVerdict(dir), undefined);
  writeFileSync(join(dir, 'verdict.json'), '{"ok": tr');
  assert.is(lastVerdict(dir), undefined);
  writeFileSync(join(dir, 'verdict.json'), '{"ok": true, "mode": "local", "lines": []}');
  assert.equal(lastVerdict(dir), { ok: true, mode: 'local', lines: [] });
});

verdicts.run();
