// The tests' browser: the product's own launcher (scripts/lib/browser/chromium.ts), and the path
// testkit/test-tools.ts installs Debian's Chromium at when a suite needs it.
export { CHROMIUM_ARGS, launchChromium } from '../scripts/lib/browser/chromium.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
