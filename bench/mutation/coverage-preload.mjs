// Loaded into every Node process of a test file's dry run (through NODE_OPTIONS, so the CLIs and
// servers the tests start have it too): writes which mutants this process reached. Stryker's
// instrumented code counts them in globalThis.__stryker__.mutantCoverage (its header, in
// @stryker-mutator/instrumenter's syntax-helpers); nothing reads them out of a child process,
// so this does. Plain JavaScript: a test may start another Node than the project's, which would
// not strip types. The written file is rewritten every 200 ms as well as at exit, so a process a
// test kills with a signal (no exit handlers run) still tells what it reached.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.CRUDDUR_MUTATION_COVERAGE_DIR;
if (dir) {
  let last = '';
  const write = () => {
    const coverage = globalThis.__stryker__?.mutantCoverage;
    if (!coverage) return;
    const reached = Object.assign({}, coverage.static, ...Object.values(coverage.perTest ?? {}));
    const json = JSON.stringify(reached);
    if (json === last) return;
    last = json;
    try {
      writeFileSync(join(dir, `${process.pid}.json`), json);
    } catch {
      // The run's folder was removed: the dry run is over, nothing is waiting for this.
    }
  };
  process.on('exit', write);
  setInterval(write, 200).unref();
}
