// What a server says cannot carry a secret out, repaint the terminal, or lure the key away:
// doctor, smoke and setup each against servers that echo the key, redirect, or send escapes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runScript } from '../../testkit/cli.ts';
import { listen } from '../../testkit/http.ts';
import { KEYS } from '../../testkit/honeycomb.ts';
import { runSetup } from './setup/run.ts';
import { AWS, startClouds, type Clouds } from './world.ts';

const t = suite<{ clouds: Clouds }>('output safety');
t.before(async (ctx) => {
  ctx.clouds = await startClouds();
});
t.after(async (ctx) => {
  await ctx.clouds.close();
});

const KEY = KEYS.enterprise;
const leaks = (text: string) => text.includes(KEY.slice(6)) || text.includes(AWS.AWS_SECRET_ACCESS_KEY);

/** A server that answers every request with the key it was sent, inside a 502. */
const echoing = () => listen((req, res) => res.writeHead(502, { 'content-type': 'text/plain' }).end(`bad gateway for key=${req.headers['x-honeycomb-team']}`));


t('a server that echoes the key: smoke (text and --json) and setup print it masked', async ({ clouds }) => {
  const echo = await echoing();
  try {
    const env = clouds.env({ HONEYCOMB_API_ENDPOINT: echo.url });
    for (const args of [['--hops', 'honeycomb', '--timeout', '2'], ['--hops', 'honeycomb', '--timeout', '2', '--json']]) {
      const { stdout, stderr } = await runScript('scripts/smoke/main.ts', args, env);
      assert.match(stdout, /bad gateway for key=hcxlk_…#[0-9a-f]{8}/, stdout);
      assert.not.ok(leaks(stdout + stderr), args.join(' '));
    }
    const { printed } = await runSetup({ HONEYCOMB_API_KEY: KEY, HONEYCOMB_API_ENDPOINT: echo.url, AWS_ENDPOINT_URL_STS: clouds.sts.url, ...AWS });
    assert.match(printed, /bad gateway for key=hcxlk_…#/);
    assert.not.ok(leaks(printed));
  } finally {
    await echo.close();
  }
});

// Keys as students paste them: with a trailing space or newline, wrapped in quotes. What a server
// echoes is what it received: fetch drops a header value's surrounding whitespace on the way.
const PASTED = [`${KEY} `, ` ${KEY}`, `${KEY}\n`, `"${KEY}"`, `'${KEY}' `];

t('every command a student runs, with every pasted form of the key, against a server that echoes what it got in a body, an error and a JSON error field: never the key', async ({ clouds }) => {
  const echo = await listen((req, res) => {
    const got = String(req.headers['x-honeycomb-team'] ?? '');
    if (req.url === '/1/auth') return res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `unknown API key - check your credentials (${got})` }));
    res.writeHead(502, { 'content-type': 'text/plain' }).end(`bad gateway for key=${got}`);
  });
  try {
    for (const key of PASTED) {
      const env = clouds.env({ HONEYCOMB_API_KEY: key, HONEYCOMB_API_ENDPOINT: echo.url });
      const runs: [string, string][] = [];
      for (const [script, args] of [
        ['scripts/doctor/main.ts', ['--only', 'honeycomb']],
        ['scripts/doctor/main.ts', ['--only', 'honeycomb', '--json']],
        ['scripts/smoke/main.ts', ['--hops', 'honeycomb', '--timeout', '2']],
        ['scripts/smoke/main.ts', ['--hops', 'honeycomb', '--timeout', '2', '--json']],
        ['scripts/honeycomb-board.ts', []],
        ['scripts/xray-setup.ts', []],
        // With the clouds' env it finds no browser, and says so: through the same filter (it keeps no run then).
        ['scripts/synthetic.ts', []],
      ] as const) {
        const { stdout, stderr } = await runScript(script, [...args], { ...env, FRONTEND_SERVER_URL: echo.url });
        runs.push([`${script} ${args.join(' ')}`, stdout + stderr]);
      }
      runs.push(['setup --non-interactive', (await runSetup({ ...env, PATH: undefined })).printed]);
      for (const [command, printed] of runs) assert.not.ok(leaks(printed), `${command} printed the key pasted as ${JSON.stringify(key.replace(KEY, 'KEY'))}:\n${printed}`);
      assert.ok(runs.some(([, printed]) => /(key=|credentials \()\S{0,8}…#[0-9a-f]{8}/.test(printed)), `the echo itself is shown, masked (key pasted as ${JSON.stringify(key.replace(KEY, 'KEY'))})`);
    }
  } finally {
    await echo.close();
  }
});

t('an endpoint that redirects elsewhere: the key is not sent on, and the redirect is the fault', async ({ clouds }) => {
  const seen: (string | undefined)[] = [];
  const elsewhere = await listen((req, res) => {
    seen.push(req.headers['x-honeycomb-team'] as string | undefined);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"team":{"name":"Someone else","slug":"x"},"environment":{"name":"theirs","slug":"theirs"},"api_key_access":{}}');
  });
  const redirecting = await listen((req, res) => res.writeHead(307, { location: `${elsewhere.url}${req.url}` }).end());
  try {
    const { code, stdout } = await runScript('scripts/doctor/main.ts', ['--only', 'honeycomb'], clouds.env({ HONEYCOMB_API_ENDPOINT: redirecting.url }));
    assert.is(code, 1);
    assert.equal(seen, [], 'no request reached the other origin');
    assert.match(stdout, new RegExp(`redirects /1/auth to ${elsewhere.url.replace(/[.]/g, '\\.')}: the key is never sent on across a redirect`));
    assert.not.match(stdout, /Someone else/);
  } finally {
    await Promise.all([elsewhere.close(), redirecting.close()]);
  }
});

t('a password in HONEYCOMB_API_ENDPOINT is never printed, by doctor or smoke', async ({ clouds }) => {
  const url = new URL(clouds.honeycomb.url);
  url.username = 'student';
  url.password = 'pw42';
  const env = clouds.env({ HONEYCOMB_API_ENDPOINT: url.toString().replace(/\/$/, '') });
  for (const [script, args] of [['scripts/doctor/main.ts', ['--only', 'honeycomb']], ['scripts/smoke/main.ts', ['--hops', 'honeycomb', '--timeout', '2', '--json']]] as const) {
    const { stdout, stderr } = await runScript(script, [...args], env);
    assert.not.ok((stdout + stderr).includes('pw42'), `${script} printed the password`);
  }
});

t('terminal escapes and control characters a server sends are not printed', async () => {
  const hostile = await listen((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ team: { name: 'Evil\u001b[31mRed\u0007', slug: 'evil' }, environment: { name: 'bootcamp', slug: 'bootcamp' }, api_key_access: { events: true } })),
  );
  try {
    const env = { HOME: '/nonexistent', HONEYCOMB_API_KEY: KEY, HONEYCOMB_API_ENDPOINT: hostile.url, HONEYCOMB_ENVIRONMENT: 'bootcamp' };
    const { stdout } = await runScript('scripts/doctor/main.ts', ['--only', 'honeycomb'], env);
    assert.match(stdout, /team "EvilRed"/);
    assert.not.ok(/\u001b\[31m|\u0007/.test(stdout), 'no escape reached the terminal');
    const { printed } = await runSetup({ ...env, AWS_ACCESS_KEY_ID: undefined });
    assert.not.ok(/\u001b\[31m|\u0007/.test(printed));
  } finally {
    await hostile.close();
  }
});

t('a 200 from /1/auth that is not Honeycomb’s shape is named, not a crash', async () => {
  for (const body of ['{"hello":"world"}', 'null']) {
    const odd = await listen((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    try {
      const { code, stdout } = await runScript('scripts/doctor/main.ts', ['--only', 'honeycomb'], { HOME: '/nonexistent', HONEYCOMB_API_KEY: KEY, HONEYCOMB_API_ENDPOINT: odd.url });
      assert.is(code, 1);
      assert.match(stdout, /this is not Honeycomb's API at http:\/\/127\.0\.0\.1:\d+/, body);
      assert.not.match(stdout, /Cannot read properties|crashed/);
    } finally {
      await odd.close();
    }
  }
});

t.run();
