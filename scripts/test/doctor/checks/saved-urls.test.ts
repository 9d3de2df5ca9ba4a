// The stale-URL check at each boundary: each host's own fix, .env against the host's store,
// the words the doctor prints (title, id), and the URLs that must not be called stale.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { savedUrls } from '../../../doctor/checks/saved-urls.ts';
import { doctor } from '../../../doctor/main.ts';
import { loadSettings } from '../../../lib/workspace/settings.ts';
import { silentTerm } from '../../../lib/terminal/term.ts';
import { runCheck } from '../helpers.ts';

const GITPOD = { GITPOD_WORKSPACE_URL: 'https://cruddur-new.ws-us2.gitpod.io' };
const CODESPACES = { CODESPACES: 'true', CODESPACE_NAME: 'studious-fiesta', GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN: 'app.github.dev' };
const ONA = { GITPOD_ENVIRONMENT_ID: '0190-abc' };
const VSCODE = { REMOTE_CONTAINERS: 'true' };
const OLD = 'https://3000-cruddur-old.ws-us1.gitpod.io';

test('on a laptop no URL is stale, whatever is saved: localhost does not change', async () => {
  const r = await runCheck(savedUrls, loadSettings({ FRONTEND_URL: OLD }, {}));
  assert.is(r.status, 'pass');
  assert.is(r.detail, 'not a cloud workspace: localhost URLs do not go stale');
});

test('each host names the place its variables are kept', async () => {
  const cases: [string, Record<string, string>, string][] = [
    ['Gitpod Classic', GITPOD, 'gp env -u FRONTEND_URL, then unset FRONTEND_URL in this terminal; then docker compose up -d'],
    ['Codespaces', CODESPACES, 'unset FRONTEND_URL where it is set (a Codespaces secret, ~/.bashrc); then docker compose up -d'],
    ['Ona', ONA, 'unset FRONTEND_URL where it is set (an Ona secret, ~/.bashrc); then docker compose up -d'],
    ['VS Code', VSCODE, 'unset FRONTEND_URL where it is set (your shell profile, ~/.bashrc); then docker compose up -d'],
  ];
  for (const [name, env, fix] of cases) {
    const r = await runCheck(savedUrls, loadSettings({ ...env, FRONTEND_URL: OLD }, {}));
    // VS Code and Ona forward to localhost, so the old Gitpod URL is stale there too.
    assert.is(r.status, 'warn', name);
    assert.is(r.fix, fix, name);
  }
});

test('the warning names each stale URL with this workspace’s own, and why it matters', async () => {
  const r = await runCheck(savedUrls, loadSettings({ ...CODESPACES, BACKEND_URL: 'https://old-4567.app.github.dev' }, { VITE_OTEL_COLLECTOR_URL: 'https://old-4318.app.github.dev/v1/traces' }));
  assert.is(r.status, 'warn');
  assert.is(
    r.detail,
    "BACKEND_URL=https://old-4567.app.github.dev is not this workspace's URL (https://studious-fiesta-4567.app.github.dev); VITE_OTEL_COLLECTOR_URL=https://old-4318.app.github.dev/v1/traces is not this workspace's URL (https://studious-fiesta-4318.app.github.dev): a saved URL goes stale with every new workspace, and one origin needs none",
  );
  // One from .env, one from the shell: each its own fix, in the order found.
  assert.is(r.fix, 'unset BACKEND_URL where it is set (a Codespaces secret, ~/.bashrc); delete the VITE_OTEL_COLLECTOR_URL line from .env; then docker compose up -d');
});

test('several stale URLs: one fix each, in the order they are listed', async () => {
  const r = await runCheck(savedUrls, loadSettings({ ...GITPOD }, { FRONTEND_URL: OLD, BACKEND_URL: 'https://4567-cruddur-old.ws-us1.gitpod.io' }));
  assert.is(r.fix, 'delete the FRONTEND_URL line from .env; delete the BACKEND_URL line from .env; then docker compose up -d');
  const twice = await runCheck(savedUrls, loadSettings({ ...ONA, FRONTEND_URL: OLD, BACKEND_URL: OLD }, {}));
  assert.is(twice.fix, 'unset FRONTEND_URL where it is set (an Ona secret, ~/.bashrc); unset BACKEND_URL where it is set (an Ona secret, ~/.bashrc); then docker compose up -d');
});

test('this workspace’s own URL passes, with a path or not; the pass says which URL it compared with', async () => {
  const r = await runCheck(savedUrls, loadSettings({ ...GITPOD, FRONTEND_URL: 'https://3000-cruddur-new.ws-us2.gitpod.io/home', VITE_BACKEND_URL: 'https://4567-cruddur-new.ws-us2.gitpod.io' }, {}));
  assert.is(r.status, 'pass');
  assert.is(r.detail, "no saved URL disagrees with this workspace's (https://3000-cruddur-new.ws-us2.gitpod.io)");
  // The port matters: the front end's URL saved as the backend's is stale.
  const swapped = await runCheck(savedUrls, loadSettings({ ...GITPOD, BACKEND_URL: 'https://3000-cruddur-new.ws-us2.gitpod.io' }, {}));
  assert.is(swapped.status, 'warn');
});

test('the doctor prints it under the workspace group, with its title and id', async () => {
  const term = silentTerm();
  const { results } = await doctor(['--only', 'workspace'], { settings: loadSettings({ ...GITPOD, FRONTEND_URL: OLD }, {}), term, checks: [savedUrls], startDir: '/nonexistent' });
  assert.equal(results.map((r) => [r.id, r.group, r.status]), [['workspace.saved-urls', 'workspace', 'warn']]);
  const out = term.lines.join('\n');
  assert.match(out, /! no stale workspace URL saved \(workspace\.saved-urls\)\n  FRONTEND_URL=https:\/\/3000-cruddur-old/);
  // --only another group leaves it out.
  assert.equal((await doctor(['--only', 'stack'], { settings: loadSettings({ ...GITPOD, FRONTEND_URL: OLD }, {}), term: silentTerm(), checks: [savedUrls], startDir: '/nonexistent' })).results, []);
});

test.run();
