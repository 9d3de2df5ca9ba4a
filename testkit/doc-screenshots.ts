// npm run screenshots' last step: every page at 1280, 1000 and 390 px (as pages.test.ts took
// them) into docs/screenshots/pages/, squeezed by pngquant where it is installed (a fifth of
// the bytes; apt-get install pngquant), else copied as they are.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const from = join(ROOT, 'frontend-react-js', 'test', 'screenshots');
const to = join(ROOT, 'docs', 'screenshots', 'pages');
// The pages of pages.test.ts's PAGES, at its three widths, and signed out (the flows' other shots stay in the test folder).
const PAGE = /^(home|notifications|profile|search|messages|conversation|signin|signup|confirm|recover|not-found|signed-out)-(desktop|narrow|phone)\.png$/;

mkdirSync(to, { recursive: true });
let squeezed = true;
const files = readdirSync(from).filter((f) => PAGE.test(f));
for (const f of files) {
  try {
    if (!squeezed) throw new Error('no pngquant');
    execFileSync('pngquant', ['--quality=70-95', '--speed', '3', '--force', '--output', join(to, f), join(from, f)], { stdio: 'ignore' });
  } catch {
    squeezed = false;
    copyFileSync(join(from, f), join(to, f));
  }
}
console.log(`${files.length} page screenshots in docs/screenshots/pages/${squeezed ? '' : ' (copied as they are: no pngquant here)'}`);
