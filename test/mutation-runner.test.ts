// npm run mutate's test runner (bench/mutation/uvu-files-runner.ts), driven as Stryker drives it:
// a dry run, then a mutant's run. A mutant that hangs one file must end at that file's limits,
// from its dry run, as a timeout: not at Stryker's limit for all the files that reached it,
// minutes later. A busy loop (which starves the file's own timers) is stopped by its CPU time,
// a wait that never ends by its time.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UvuFilesRunner } from '../bench/mutation/uvu-files-runner.ts';

test('a file a mutant hangs ends at its own limits as a timeout (CPU for a busy loop, time for a wait), and the files after it do not run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mutation-runner-'));
  const uvu = import.meta.resolve('uvu');
  // hangs.test.mjs spins under mutant 1 and waits forever under mutant 3; after.test.mjs leaves a
  // file for each mutant it runs under.
  writeFileSync(
    join(dir, 'hangs.test.mjs'),
    `import { test } from '${uvu}'; test('hangs', async () => { const m = process.env.__STRYKER_ACTIVE_MUTANT__; if (m === '1') for (;;); if (m === '3') await new Promise((r) => setInterval(() => {}, 1000)); }); test.run();`,
  );
  writeFileSync(join(dir, 'after.test.mjs'), `import { test } from '${uvu}'; import { writeFileSync } from 'node:fs'; test('marks', () => writeFileSync('${dir}/ran-' + (process.env.__STRYKER_ACTIVE_MUTANT__ ?? 'dry'), '')); test.run();`);
  const files = ['hangs', 'after'].map((name) => join(dir, `${name}.test.mjs`));
  process.chdir(dir); // where Stryker's sandbox would be: the runner keeps its dry-run times there
  const runner = new UvuFilesRunner({ uvuFiles: { files } } as never);
  const dry = await runner.dryRun({} as never);
  assert.is(dry.status, 'complete');
  assert.ok(existsSync(join(dir, 'ran-dry')));
  // A fresh runner, as Stryker's other workers are: it never saw the dry run.
  const other = new UvuFilesRunner({ uvuFiles: { files } } as never);
  const hung = await other.mutantRun({ activeMutant: { id: '1' }, disableBail: false } as never);
  assert.is(hung.status, 'timeout');
  assert.match((hung as { reason?: string }).reason ?? '', /hangs\.test\.mjs used \d+\.\d s of CPU, past its limit \(\d+\.\d s\)$/);
  assert.not.ok(existsSync(join(dir, 'ran-1')), 'nothing after the file that hung');
  const waits = await other.mutantRun({ activeMutant: { id: '3' }, disableBail: false } as never);
  assert.is(waits.status, 'timeout');
  assert.match((waits as { reason?: string }).reason ?? '', /hangs\.test\.mjs ran past its limit \(\d+ s\)$/);
  assert.not.ok(existsSync(join(dir, 'ran-3')));
  const survived = await other.mutantRun({ activeMutant: { id: '2' }, disableBail: false } as never);
  assert.is(survived.status, 'survived');
  assert.ok(existsSync(join(dir, 'ran-2')));
});

test.run();
