// Every injected fault of fault-table.ts, through the doctor, the smoke and setup as a person
// runs them: each prints the fault's one-line cause and fix, and no stack or raw library text.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runScript } from '../../testkit/cli.ts';
import { KEYS } from '../../testkit/honeycomb.ts';
import { runSetup } from './setup/run.ts';
import { FAULTS } from './fault-table.ts';
import { AWS, startClouds, type Clouds } from './world.ts';

const t = suite<{ clouds: Clouds }>('the fault matrix');
t.before(async (ctx) => {
  ctx.clouds = await startClouds();
});
t.after(async (ctx) => {
  await ctx.clouds.close();
});

const RAW = /\n\s+at |fetch failed|UnknownError|SSL routines|Cannot read properties/;


for (const fault of FAULTS) {
  if (fault.honeycomb) {
    const want = fault.honeycomb;
    t(`Honeycomb endpoint, ${fault.name}: doctor, smoke and setup name the cause and the fix`, async ({ clouds }) => {
      const injected = await fault.start();
      try {
        const env = clouds.env({ HONEYCOMB_API_KEY: KEYS.config, HONEYCOMB_API_ENDPOINT: injected.url });
        const doctor = (await runScript('scripts/doctor/main.ts', ['--only', 'honeycomb'], env)).stdout;
        const smoke = (await runScript('scripts/smoke/main.ts', ['--hops', 'honeycomb', '--timeout', '3'], env)).stdout;
        const { printed: setupOut } = await runSetup({ HONEYCOMB_API_KEY: KEYS.config, HONEYCOMB_API_ENDPOINT: injected.url, AWS_ENDPOINT_URL_STS: clouds.sts.url, ...AWS });
        for (const [who, out] of [['doctor', doctor], ['smoke', smoke], ['setup', setupOut]] as const) {
          assert.match(out, want.cause, `${who}:\n${out}`);
          assert.match(out, want.fix, `${who}:\n${out}`);
          assert.not.match(out, RAW, `${who} printed raw library text:\n${out}`);
        }
      } finally {
        await injected.close();
      }
    });
  }
  if (fault.sts) {
    const want = fault.sts;
    t(`AWS STS endpoint, ${fault.name}: doctor and setup name the cause and the fix`, async ({ clouds }) => {
      const injected = await fault.start();
      try {
        const doctor = (await runScript('scripts/doctor/main.ts', ['--only', 'aws'], clouds.env({ AWS_ENDPOINT_URL_STS: injected.url }))).stdout;
        const { printed: setupOut } = await runSetup({ HONEYCOMB_API_KEY: KEYS.config, HONEYCOMB_API_ENDPOINT: clouds.honeycomb.url, AWS_ENDPOINT_URL_STS: injected.url, ...AWS });
        for (const [who, out] of [['doctor', doctor], ['setup', setupOut]] as const) {
          assert.match(out, want.cause, `${who}:\n${out}`);
          assert.match(out, want.fix, `${who}:\n${out}`);
          assert.not.match(out, RAW, `${who} printed raw library text:\n${out}`);
        }
        assert.not.match(setupOut, /saved[^\n]*AWS_/, 'setup saves no AWS value the check did not pass');
      } finally {
        await injected.close();
      }
    });
  }
}

t.run();
