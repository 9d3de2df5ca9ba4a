// npm run contract (.ci/run, never npm test): the fakes and the project's calls against what
// upstream publishes. Honeycomb: its API description (honeycomb.ts). AWS: moto, an independent
// implementation, as a second opinion (aws-moto.ts). One "N passed, N failed" line for both.
import { awsContract } from './aws-moto.ts';
import { honeycombContract } from './honeycomb.ts';

const results = [await honeycombContract()];
try {
  results.push(await awsContract());
} catch (err) {
  console.error(`✘ the AWS second opinion could not run: ${(err as Error).message}`);
  results.push({ passed: 0, failed: 1 });
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
