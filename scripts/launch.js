// node scripts/launch.js <script.ts> [args]: what the npm scripts run.
//
// It turns on Node's compile cache, then runs the script as if Node had been given it.
// The cache keeps each module's compiled code, and each .ts file with its types already
// stripped, in os.tmpdir()/node-compile-cache; from the second run Node neither strips
// types nor compiles those modules again, and `npm run doctor` starts in about half the
// time (bench/doctor prints both). The cache only applies to modules loaded after it is on, so
// this file is plain JavaScript and the script is imported dynamically.
import { enableCompileCache } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [script] = process.argv.splice(2, 1);
if (!script) {
  process.stderr.write('usage: node scripts/launch.js <script.ts> [args]\n');
  process.exit(2);
}
enableCompileCache();
// The script sees itself as the entry (argv[1]), as with `node <script.ts>`: its isMain() runs it.
process.argv[1] = resolve(script);
await import(pathToFileURL(process.argv[1]).href);
