import { symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fakeCli } from '../../testkit/fake-cli.ts';
import { KEYS } from '../../testkit/honeycomb.ts';
import { NO_KEY, workspaceStart } from '../workspace-start.ts';

test('a workspace start brings the stack up, then runs the doctor, whatever the doctor says', async () => {
  const cli = fakeCli({ engine: 'running', containers: [] }, ['docker']);
  const said: string[] = [];
  // npm is a stand-in too, so the doctor's run is recorded rather than made.
  symlinkSync(fileURLToPath(new URL('../../testkit/bin/fake-cli.mjs', import.meta.url)), join(dirname(cli.env.FAKE_CLI_STATE), 'npm'));
  const code = await workspaceStart({ ...cli.env, HOME: '/nonexistent', HONEYCOMB_API_KEY: KEYS.ingest }, (l) => said.push(l));
  assert.is(code, 0);
  assert.equal(cli.state().calls, [['docker', 'compose', 'up', '-d'], ['npm', 'run', 'doctor']]);
  assert.equal(said, []);
});

test('with no key it says how to add one; with no engine it says what failed and does not run the doctor', async () => {
  const cli = fakeCli({ engine: 'stopped' }, ['docker']);
  const said: string[] = [];
  const code = await workspaceStart({ ...cli.env, HOME: '/nonexistent' }, (l) => said.push(l));
  assert.is(code, 1);
  assert.equal(said[0], NO_KEY);
  assert.match(said[1]!, /docker compose up -d failed \(exit 1\)/);
  assert.equal(cli.state().calls, [['docker', 'compose', 'up', '-d']]);
});

test.run();
