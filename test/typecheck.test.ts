// The TypeScript is strict and type-checks: the scripts, tests and backend (tsconfig.json),
// and the front end's source (frontend-react-js/tsconfig.json), which Vite builds without checking.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT } from '../scripts/lib/workspace/settings.ts';

for (const project of ['tsconfig.json', 'frontend-react-js/tsconfig.json']) {
  test(`tsc -p ${project}: no errors`, () => {
    let out = '';
    try {
      execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project, '--noEmit'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      out = String((err as { stdout?: string }).stdout ?? err);
    }
    assert.is(out, '', out);
  });
}

test.run();
