// npm test: runs every suite with uvu, each in its own process, then prints the totals
// as one plain line, "N passed, N failed", which CI reads (uvu's own summary is per run).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SUITES = [
  { name: 'backend-flask-ts', dir: 'backend-flask-ts/test' },
  { name: 'scripts', dir: 'scripts/test' },
  { name: 'workspace config', dir: 'test' },
  { name: 'frontend-react-js', dir: 'frontend-react-js/test' },
];

interface Totals {
  total: number;
  passed: number;
  skipped: number;
}

// A suite that has printed its summary but does not exit left a server or browser running.
const EXIT_GRACE_MS = 15_000;

function run(dir: string): Promise<{ totals: Totals | undefined; code: number | null; hung: boolean }> {
  return new Promise((resolve) => {
    const uvu = fileURLToPath(new URL('../node_modules/uvu/bin.js', import.meta.url));
    const child = spawn(process.execPath, [uvu, dir, '\\.test\\.ts$'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let hung = false;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      out += chunk.toString();
      if (!timer && /Duration:/.test(out)) {
        timer = setTimeout(() => {
          hung = true;
          child.kill('SIGKILL');
        }, EXIT_GRACE_MS);
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      // uvu colours its summary; strip ANSI codes before reading "Total: N" and friends.
      const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
      const count = (label: string) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(plain)?.[1]);
      const totals = { total: count('Total'), passed: count('Passed'), skipped: count('Skipped') };
      resolve({ totals: Number.isNaN(totals.total) ? undefined : totals, code, hung });
    });
  });
}

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const suite of SUITES) {
  if (only.length && !only.includes(suite.name)) continue;
  if (!existsSync(new URL(`../${suite.dir}`, import.meta.url))) continue;
  console.log(`\n== ${suite.name}`);
  const { totals, code, hung } = await run(suite.dir);
  if (hung) console.log(`${suite.name}: did not exit ${EXIT_GRACE_MS / 1000} s after its summary (a test left a server or browser running): counted as a failure`);
  if (!totals) {
    // The suite crashed before uvu could count (a syntax error, a failed import): one failure.
    console.log(`${suite.name}: crashed before reporting (exit ${code})`);
    failed += 1;
    continue;
  }
  passed += totals.passed;
  skipped += totals.skipped;
  failed += totals.total - totals.passed - totals.skipped;
  if ((hung || code !== 0) && totals.total === totals.passed + totals.skipped) failed += 1; // exited badly after passing
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
