// The Honeycomb client every verdict about Honeycomb rests on, in-process and fast: which key a
// pasted value is, what pasting did to it, and what each answer of the API becomes in the words a
// student reads. Answers come from the project's Honeycomb fake (testkit/honeycomb.ts, held
// against Honeycomb's API description by test/contract/) or, for the shapes a wrong endpoint or
// a failing service gives, from a loopback server that answers exactly that; each names its source.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { authInOtherRegion, datasetSlug, findDataset, HoneycombApi, HoneycombError, isEu, keyInfo, keyShapeProblems, notYet, otherRegion, sameEnvironment, uiBase } from '../../../lib/honeycomb/api.ts';
import { HONEYCOMB_EU, HONEYCOMB_US } from '../../../lib/workspace/settings.ts';
import { closedPort, listen } from '../../../../testkit/http.ts';
import { KEYS, startHoneycombFake, writeEvents } from '../../../../testkit/honeycomb.ts';
import { BOOTCAMP, TEAM } from '../../world.ts';

const keys = suite('which key a pasted value is');

// docs.honeycomb.io/working-with-your-data/settings/api-keys: ingest keys hc<x>ik_ (id 26 + secret 32),
// configuration keys hc<x>lk_, management keys hc<x>mk_; Classic keys are 32 hex characters.
const INGEST = `hcaik_${'0'.repeat(26)}${'a'.repeat(32)}`;
keys('each documented format, and the values one character either side of it', () => {
  const table: [string, string, boolean, boolean][] = [
    [INGEST, 'ingest', false, true],
    [INGEST.toUpperCase(), 'ingest', false, true],
    [INGEST.slice(0, -1), 'unknown', false, false],
    [`${INGEST}b`, 'unknown', false, false],
    [`hcaic_${'0'.repeat(58)}`, 'classic-ingest', false, true],
    [`hcaic_${'0'.repeat(57)}`, 'unknown', false, false],
    [`hcalk_${'0'.repeat(26)}`, 'configuration', true, true],
    ['hcalk_', 'unknown', false, false],
    [`hcamk_${'0'.repeat(26)}`, 'management', false, false],
    ['0123456789abcdef0123456789abcdef', 'classic', true, true],
    ['0123456789abcdef0123456789abcde', 'unknown', false, false],
    ['0123456789abcdef0123456789abcdeg', 'unknown', false, false],
    ['a'.repeat(22), 'environment-legacy', true, true],
    ['a'.repeat(21), 'unknown', false, false],
    ['a'.repeat(23), 'unknown', false, false],
    ['', 'unknown', false, false],
    // Anchored at both ends: a value with something before or after a format is none of them.
    [`x${INGEST}`, 'unknown', false, false],
    [`x${`hcaic_${'0'.repeat(58)}`}`, 'unknown', false, false],
    [`${`hcaic_${'0'.repeat(58)}`}0`, 'unknown', false, false],
    [`xhcalk_${'0'.repeat(26)}`, 'unknown', false, false],
    [`xhcamk_${'0'.repeat(26)}`, 'unknown', false, false],
    ['x0123456789abcdef0123456789abcdef', 'unknown', false, false],
    ['0123456789abcdef0123456789abcdef0', 'unknown', false, false],
    [`hcalk_${'0'.repeat(25)}\u200b`, 'unknown', false, false],
  ];
  for (const [key, kind, canRead, canSend] of table) {
    const info = keyInfo(key);
    assert.equal([info.kind, info.canRead, info.canSend], [kind, canRead, canSend], `${key.slice(0, 12)}… (${key.length} characters)`);
  }
});

keys('a value no key can be says why in its label and note, and never repeats the value', () => {
  const truncated = keyInfo('hcalk_');
  assert.is(truncated.label, 'truncated key', 'a configuration prefix with nothing after it');
  const cut = keyInfo(INGEST.slice(0, 40));
  assert.is(cut.label, 'truncated key');
  assert.is(cut.note, 'it has a Honeycomb prefix but the wrong length: copy the whole key again');
  assert.is(keyInfo(`hcaic_${'0'.repeat(10)}`).label, 'truncated key', 'a Classic ingest prefix, cut');
  const invisible = keyInfo(`hcalk_${'0'.repeat(25)}\u200b`);
  assert.is(invisible.label, 'key with characters no key has');
  assert.match(invisible.note!, /invisible or non-ASCII character/);
  const tilde = keyInfo(`${'0'.repeat(22)}~`);
  assert.is(tilde.label, 'unrecognised key', '~ is printable ASCII: not an invisible character');
  assert.is(keyInfo(`${'0'.repeat(22)}\x7f`).label, 'key with characters no key has', 'DEL is not printable');
  assert.is(keyInfo(`${'0'.repeat(22)} `).label, 'key with characters no key has', 'a space is no key’s character');
  const other = keyInfo('not-a-key');
  assert.is(other.note, 'it matches no Honeycomb key format: copy it again from Environment settings > API keys');
  for (const info of [truncated, cut, invisible, other, keyInfo(`hcamk_${'0'.repeat(26)}`), keyInfo(`hcaic_${'0'.repeat(58)}`), keyInfo('0'.repeat(32))]) {
    assert.ok(info.label.length > 0 && !info.label.includes('0000'), info.label);
    assert.ok(info.note && !info.note.includes('0000'), info.note);
  }
  assert.is(keyInfo(`hcamk_${'0'.repeat(26)}`).label, 'management key');
  assert.match(keyInfo(`hcamk_${'0'.repeat(26)}`).note!, /^a management key manages teams and keys; it cannot send telemetry/);
  assert.match(keyInfo(`hcaic_${'0'.repeat(58)}`).note!, /^Honeycomb Classic has no environments/);
  assert.equal([INGEST, `hcalk_${'0'.repeat(26)}`, '0'.repeat(32), 'a'.repeat(22)].map((k) => keyInfo(k).label), ['ingest key', 'configuration key', 'Classic key', 'environment key (22-character, older format)']);
  assert.is(keyInfo(`xhcalk_${'0'.repeat(20)}`).label, 'unrecognised key', 'a Honeycomb prefix only at the start');
  assert.is(keyInfo(INGEST).note, undefined);
  assert.is(keyInfo(`hcalk_${'0'.repeat(26)}`).note, undefined);
});

keys('what pasting did, each named, for every edge of every problem', () => {
  const cfg = `hcalk_${'0'.repeat(26)}`;
  const table: [string, string[]][] = [
    [cfg, []],
    [`HONEYCOMB_API_KEY=${cfg}`, ['it starts with "HONEYCOMB_API_KEY=": paste only the value']],
    [`export HONEYCOMB_API_KEY = ${cfg}`, ['it starts with "HONEYCOMB_API_KEY=": paste only the value', 'it contains spaces']],
    [`  HONEYCOMB_API_KEY=${cfg}`, ['it starts with "HONEYCOMB_API_KEY=": paste only the value', 'it has leading or trailing spaces']],
    [`"${cfg}"`, ['it is wrapped in quotes']],
    [`'${cfg}`, ['it is wrapped in quotes']],
    [`${cfg}'`, ['it is wrapped in quotes']],
    [` "${cfg}" `, ['it is wrapped in quotes', 'it has leading or trailing spaces']],
    [`${cfg}\n`, ['it contains a newline (often a trailing one from copying)']],
    [`${cfg}\r`, ['it contains a newline (often a trailing one from copying)']],
    [`${cfg}\u00a0`, ['it contains an invisible or non-ASCII character no Honeycomb key has (often from a chat app or a PDF)']],
    [`${cfg}\t`, ['it has leading or trailing spaces']],
    [` ${cfg}`, ['it has leading or trailing spaces']],
    [`${cfg} `, ['it has leading or trailing spaces']],
    [`hcalk_ ${'0'.repeat(26)}`, ['it contains spaces']],
    [`${cfg}${cfg}`, ['it is the same key pasted twice']],
    ['abab', []],
    [`${cfg}${cfg}0`, []],
    [`  export   HONEYCOMB_API_KEY=${cfg}`, ['it starts with "HONEYCOMB_API_KEY=": paste only the value', 'it has leading or trailing spaces']],
    [`my HONEYCOMB_API_KEY=${cfg}`, ['it contains spaces']],
    [`hcalk_0"0'0`, []],
    [`x "${cfg}`, ['it contains spaces']],
    [`${cfg}" x`, ['it contains spaces']],
    [`hcalk_  ${'0'.repeat(26)}`, ['it contains spaces']],
    [`hcalk_\t${'0'.repeat(26)}`, ['it contains spaces']],
    [`${cfg}${cfg}\n`, ['it contains a newline (often a trailing one from copying)', 'it is the same key pasted twice']],
  ];
  for (const [raw, problems] of table) assert.equal(keyShapeProblems(raw), problems, JSON.stringify(raw));
});

const regions = suite('regions, environments, datasets');

regions('the EU endpoint and the US one, each the other’s other; the UI of each', () => {
  assert.ok(isEu(HONEYCOMB_EU));
  assert.ok(isEu('https://api.eu1.honeycomb.io/'));
  assert.not.ok(isEu(HONEYCOMB_US));
  assert.not.ok(isEu('https://api.eu1honeycomb.io'), 'the dot before honeycomb is part of the host');
  assert.is(otherRegion(HONEYCOMB_US), HONEYCOMB_EU);
  assert.is(otherRegion(HONEYCOMB_EU), HONEYCOMB_US);
  assert.is(uiBase(HONEYCOMB_EU), 'https://ui.eu1.honeycomb.io');
  assert.is(uiBase(HONEYCOMB_US), 'https://ui.honeycomb.io');
});

regions('a dataset is found by its slug or its exact name; slugs as Honeycomb makes them', () => {
  assert.is(datasetSlug('Backend Flask'), 'backend-flask');
  assert.is(datasetSlug('backend_flask.v2'), 'backend_flask.v2');
  assert.is(datasetSlug('a  /  b'), 'a-b');
  const sets = [{ name: 'Backend Flask', slug: 'backend-flask' }, { name: 'other', slug: 'x-other' }];
  assert.is(findDataset(sets, 'backend-flask')?.name, 'Backend Flask');
  assert.is(findDataset(sets, 'BACKEND FLASK')?.name, 'Backend Flask', 'by the slug the name makes');
  assert.is(findDataset(sets, 'other')?.slug, 'x-other', 'by its exact name');
  assert.is(findDataset(sets, 'front'), undefined);
});

regions('an environment is its name or its slug, whole, in any case, around spaces', () => {
  const env = { name: 'Bootcamp Env', slug: 'bootcamp-env' };
  assert.ok(sameEnvironment('bootcamp env', env));
  assert.ok(sameEnvironment('BOOTCAMP-ENV', env));
  assert.ok(sameEnvironment('bootcamp-env', { name: ' bootcamp-env ', slug: 'x' }), 'the server’s own spaces too');
  assert.not.ok(sameEnvironment('bootcamp', env));
  assert.not.ok(sameEnvironment('bootcamp env x', env));
  assert.ok(sameEnvironment(' Bootcamp Env ', env), 'the saved name’s own spaces');
});

const fault = async (p: Promise<unknown>): Promise<HoneycombError> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.instance(err, HoneycombError, String(err));
  return err as HoneycombError;
};

const calls = suite('each answer of the API, in a student’s words');

calls('/1/auth: the team and the environment, made printable; an answer without them is not Honeycomb', async () => {
  const h = await startHoneycombFake({ keys: { [KEYS.config]: { team: TEAM, environment: BOOTCAMP, type: 'configuration', access: { events: true } } } });
  const shapes: Record<string, unknown> = { shape: { team: { name: 'T' } }, nullenv: { team: { name: 'T' }, environment: null }, noname: { team: { slug: 't' }, environment: {} }, array: [], null: null, unnamed: { team: { name: 'T' }, environment: { slug: 'e' }, api_key_access: {} } };
  const odd = await listen((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(String(req.headers['x-honeycomb-team']) in shapes ? shapes[String(req.headers['x-honeycomb-team'])] : { team: { name: 'Team\x1b[31m', slug: 't' }, environment: { name: 'Env\x07' }, api_key_access: {} })));
  try {
    const auth = await new HoneycombApi(`${h.url}/`, KEYS.config).auth();
    assert.equal([auth.team, auth.environment, auth.api_key_access.events], [TEAM, BOOTCAMP, true]);
    const cleaned = await new HoneycombApi(odd.url, 'k').auth();
    assert.equal([cleaned.team, cleaned.environment], [{ name: 'Team', slug: 't' }, { name: 'Env', slug: '' }]);
    const notIt = await fault(new HoneycombApi(odd.url, 'shape').auth());
    assert.is(notIt.fault.cause, `this is not Honeycomb's API at ${odd.url}: /1/auth answered without a team and an environment`);
    assert.is(notIt.fault.fix, 'set HONEYCOMB_API_ENDPOINT to https://api.honeycomb.io (EU: https://api.eu1.honeycomb.io)');
    assert.equal((await new HoneycombApi(odd.url, 'unnamed').auth()).environment, { name: '', slug: 'e' });
    for (const k of ['nullenv', 'noname', 'null']) assert.match((await fault(new HoneycombApi(odd.url, k).auth())).fault.cause, /without a team and an environment$/, k);
  } finally {
    await Promise.all([h.close(), odd.close()]);
  }
});

calls('the other region: the key’s team there, or nothing when that region refuses it too', async () => {
  const h = await startHoneycombFake({ keys: { [KEYS.eu]: { team: TEAM, environment: BOOTCAMP, type: 'configuration' } } });
  try {
    const found = await authInOtherRegion(HONEYCOMB_US, KEYS.eu, `${h.url}//`);
    assert.equal([found?.endpoint, found?.auth.environment], [`${h.url}//`, BOOTCAMP]);
    assert.is(await authInOtherRegion(HONEYCOMB_US, KEYS.config, h.url), undefined);
    assert.is(new HoneycombApi(`${h.url}//`, KEYS.eu).endpoint, h.url, 'every trailing slash goes');
    assert.is((await new HoneycombApi(`${h.url}//`, KEYS.eu).auth()).team.slug, TEAM.slug);
  } finally {
    await h.close();
  }
});

calls('401: an unknown key on /1/auth is "does not accept"; a 401 elsewhere for an accepted key is a missing permission; 403 likewise', async () => {
  // docs.honeycomb.io/api/errors: 401 a missing or invalid key; 403 "The API key does not have permission for this operation".
  const h = await startHoneycombFake({ keys: {} });
  const s = await listen((req, res) => {
    const status = Number(new URL(req.url!, 'http://x').searchParams.get('s'));
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: status === 401 ? 'unknown API key - check your credentials' : 'The API key does not have permission for this operation' }));
  });
  try {
    const refused = await fault(new HoneycombApi(h.url, KEYS.config).auth());
    assert.is(refused.status, 401);
    assert.is(refused.fault.cause, 'Honeycomb does not accept this key ("unknown API key - check your credentials")');
    assert.match(refused.fault.fix, /^copy the key again from Honeycomb \(Environment settings > API keys\) and save it with npm run setup; an EU key needs HONEYCOMB_API_ENDPOINT=https:\/\/api\.eu1\.honeycomb\.io$/);
    const elsewhere = await fault(new HoneycombApi(s.url, 'k').request('GET', '/1/boards?s=401'));
    assert.is(elsewhere.fault.cause, 'Honeycomb does not accept this key ("unknown API key - check your credentials")', 'the server says the key is unknown: that, not a permission');
    const perm = await fault(new HoneycombApi(s.url, 'k').request('GET', '/1/boards?s=403'));
    assert.is(perm.status, 403);
    assert.is(perm.fault.cause, 'Honeycomb refused this key for /1/boards?s=403 ("The API key does not have permission for this operation"): the key lacks the permission that call needs');
    assert.match(perm.fault.fix, /edit the key's permissions: npm run doctor names the one each check needs/);
  } finally {
    await Promise.all([h.close(), s.close()]);
  }
  const plain = await listen((req, res) => res.writeHead(401).end(req.url === '/1/auth' ? '' : 'no'));
  try {
    const other = await fault(new HoneycombApi(plain.url, 'k').request('GET', '/1/columns/x'));
    assert.is(other.fault.cause, 'Honeycomb refused this key for /1/columns/x ("no"): the key lacks the permission that call needs');
    const auth = await fault(new HoneycombApi(plain.url, 'k').auth());
    assert.is(auth.fault.cause, 'Honeycomb does not accept this key', 'no body: nothing quoted');
  } finally {
    await plain.close();
  }
});

calls('404, 429 (seconds, a date, none, past the cap), 5xx and any other status: each its cause and fix', async () => {
  // docs.honeycomb.io/api/rate-limit: 429 with Retry-After (RFC 9110: seconds or an HTTP date).
  const s = await listen((req, res) => {
    const u = new URL(req.url!, 'http://x');
    const status = Number(u.searchParams.get('s'));
    const after = u.searchParams.get('after');
    const body = status === 418 ? '' : u.searchParams.has('empty') ? '{}' : u.searchParams.has('long') ? `<html>${'x'.repeat(200)}</html>` : JSON.stringify({ title: `t${status}` });
    res.writeHead(status, { 'content-type': 'application/json', ...(after ? { 'retry-after': after } : {}) }).end(body);
  });
  const api = new HoneycombApi(s.url, 'k');
  try {
    const missing = await fault(api.request('GET', '/1/x?s=404'));
    assert.equal([missing.status, missing.fault.cause, missing.fault.fix], [404, '/1/x?s=404 was not found ("t404")', 'check HONEYCOMB_API_ENDPOINT is the API root, e.g. https://api.honeycomb.io']);
    const busy = await fault(api.request('GET', '/1/x?s=429&after=30'));
    assert.equal([busy.status, busy.retryAfter, busy.fault.cause, busy.fault.fix], [429, 30, 'Honeycomb is rate-limiting this key (retry after 30 s)', 'wait 30 s and run again']);
    const dated = await fault(api.request('GET', `/1/x?s=429&after=${encodeURIComponent(new Date(Date.now() + 90_000).toUTCString())}`));
    assert.ok(dated.retryAfter! >= 88 && dated.retryAfter! <= 90, String(dated.retryAfter));
    const none = await fault(api.request('GET', '/1/x?s=429'));
    assert.equal([none.retryAfter, none.fault.cause, none.fault.fix], [undefined, 'Honeycomb is rate-limiting this key', 'wait a minute and run again']);
    const long = await fault(api.request('GET', '/1/x?s=429&after=3600'));
    assert.equal([long.fault.cause, long.fault.fix], ['Honeycomb is rate-limiting this key (retry after an hour or more)', 'wait an hour or more and run again']);
    const justUnder = await fault(api.request('GET', '/1/x?s=429&after=3599'));
    assert.is(justUnder.fault.cause, 'Honeycomb is rate-limiting this key (retry after 3599 s)');
    const down = await fault(api.request('GET', '/1/x?s=500'));
    assert.equal([down.status, down.fault.cause, down.fault.fix], [500, 'Honeycomb answered 500 ("t500"): a problem on its side', 'try again in a few minutes; https://status.honeycomb.io says whether it is down']);
    const teapot = await fault(api.request('GET', '/1/x?s=418'));
    assert.equal([teapot.status, teapot.fault.cause, teapot.fault.fix], [418, 'Honeycomb answered 418', 'check HONEYCOMB_API_ENDPOINT and the key']);
    assert.is((await fault(api.request('GET', '/1/x?s=400'))).fault.cause, 'Honeycomb answered 400 ("t400")', '400 is no redirect');
    assert.match((await fault(api.request('GET', '/1/x?s=300'))).fault.cause, /redirects \/1\/x\?s=300 to /, '300 is one');
    assert.is((await fault(api.request('GET', '/1/x?s=404&empty'))).fault.cause, '/1/x?s=404&empty was not found', 'a body that says nothing: nothing quoted');
    assert.is((await fault(api.request('GET', '/1/x?s=502&long'))).fault.cause, `Honeycomb answered 502 ("<html>${'x'.repeat(74)}"): a problem on its side`, 'a page, not an error: its first 80 characters');
    const bad = await fault(api.request('GET', '/1/x?s=499'));
    assert.is(bad.fault.cause, 'Honeycomb answered 499 ("t499")', '499 is a client error, not Honeycomb’s side');
  } finally {
    await s.close();
  }
});

calls('a redirect is reported with where it goes and never followed with the key; a page that is not JSON is named', async () => {
  let followed = 0;
  const target = await listen((_req, res) => ((followed += 1), res.writeHead(200).end('{}')));
  const s = await listen((req, res) => {
    if (req.url === '/1/auth') return res.writeHead(302, { location: `${target.url}/login?next=%1b` }).end();
    if (req.url === '/1/rel') return res.writeHead(301, { location: '/elsewhere' }).end();
    if (req.url === '/1/none') return res.writeHead(307, { location: 'http://[' }).end();
    if (req.url === '/1/long') return res.writeHead(200).end(`<!doctype html>${'y'.repeat(100)}`);
    return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>Honeycomb UI</body></html>');
  });
  const api = new HoneycombApi(s.url, 'k');
  try {
    const away = await fault(api.auth());
    assert.equal([away.status, away.fault.cause], [302, `${s.url} redirects /1/auth to ${target.url}: the key is never sent on across a redirect`]);
    assert.match(away.fault.fix, /not a URL that forwards$/);
    assert.is(followed, 0);
    assert.is((await fault(api.request('GET', '/1/rel'))).fault.cause, `${s.url} redirects /1/rel to ${s.url}: the key is never sent on across a redirect`);
    assert.is((await fault(api.request('GET', '/1/none'))).fault.cause, `${s.url} redirects /1/none to elsewhere: the key is never sent on across a redirect`);
    const page = await fault(api.request('GET', '/1/datasets'));
    assert.equal([page.status, page.fault.cause], [200, `${s.url}/1/datasets answered 200 with something that is not JSON ("<!doctype html><html><body>Honeycomb UI</body></html>")`]);
    assert.match(page.fault.fix, /not the UI or a proxy$/);
    assert.is((await fault(api.request('GET', '/1/long'))).fault.cause, `${s.url}/1/long answered 200 with something that is not JSON ("<!doctype html>${'y'.repeat(45)}")`, 'its first 60 characters');
  } finally {
    await Promise.all([s.close(), target.close()]);
  }
});

calls('an endpoint that is not http(s), one where nothing listens, one that never answers: named, and the key only in its header', async () => {
  const notUrl = await fault(new HoneycombApi('api.honeycomb.io', 'k').datasets());
  assert.equal([notUrl.status, notUrl.fault.cause], [0, 'HONEYCOMB_API_ENDPOINT is api.honeycomb.io, not an http(s) URL']);
  assert.is((await fault(new HoneycombApi('file://http://x', 'k').datasets())).fault.cause, 'HONEYCOMB_API_ENDPOINT is file://http://x, not an http(s) URL');
  const closed = `http://127.0.0.1:${await closedPort()}`;
  const refused = await fault(new HoneycombApi(closed, 'k').datasets());
  assert.is(refused.status, 0);
  assert.is(refused.fault.cause, `nothing is listening at ${closed}/1/datasets (connection refused)`);
  assert.is(refused.fault.fix, 'set HONEYCOMB_API_ENDPOINT to https://api.honeycomb.io (EU: https://api.eu1.honeycomb.io), or set the URL the Honeycomb API runs on');
  let seen: string | undefined;
  const hang = await listen((req) => void (seen = String(req.headers['x-honeycomb-team'])));
  try {
    const started = performance.now();
    const slow = await fault(new HoneycombApi(hang.url, KEYS.config, 300).datasets());
    assert.ok(performance.now() - started < 3000, 'the call’s own deadline');
    assert.is(slow.status, 0);
    assert.is(seen, KEYS.config);
    const ended = new AbortController();
    const call = new HoneycombApi(hang.url, KEYS.config, 60_000, ended.signal).datasets();
    setTimeout(() => ended.abort(), 50);
    assert.is((await fault(call)).status, 0, 'the command’s deadline ends it too');
  } finally {
    await hang.close();
  }
});

calls('counts: one query for several values; a dataset or column not there yet counts nothing; a refusal is thrown', async () => {
  // The fake's Query Data API: docs.honeycomb.io/api/query-results (create a query, create its result, poll).
  const h = await startHoneycombFake({ keys: { [KEYS.enterprise]: { team: TEAM, environment: BOOTCAMP, type: 'configuration', enterprise: true, access: { queries: true, columns: true, events: true } }, [KEYS.config]: { team: TEAM, environment: BOOTCAMP, type: 'configuration', access: { columns: true } } }, queryMs: 20, minuteMs: 1000 });
  try {
    const api = new HoneycombApi(h.url, KEYS.enterprise);
    assert.equal([...(await api.counts('nothing-yet', 'app.smoke_id', ['a'], 60))], [], 'no dataset: 404, nothing yet');
    const d = h.addDataset(KEYS.enterprise, 'backend-flask', new Date().toISOString());
    assert.is(await api.count('backend-flask', 'app.smoke_id', 'a', 60), 0, 'no such column: 422, nothing yet');
    const now = Date.now();
    const span = (id: string) => ({ traceId: 't', spanId: id, parentSpanId: '', name: 's', kind: 2, startMs: now - 3000, endMs: now - 2990, durationMs: 10, attributes: { 'app.smoke_id': id }, resource: { 'service.name': 'backend-flask' }, events: [], status: { code: 0 }, scope: 'test' });
    writeEvents(d, [span('a'), span('a'), span('b'), span('z')]);
    const counts = await api.counts('backend-flask', 'app.smoke_id', ['a', 'b', 'c'], 60);
    assert.equal([counts.get('a'), counts.get('b'), counts.get('c'), counts.get('z')], [2, 1, undefined, undefined], 'only the values asked for');
    assert.is(await api.count('backend-flask', 'app.smoke_id', 'b', 1), 1, 'a window under a minute asks for a minute: the span 3 s ago is in it');
    const refused = await fault(new HoneycombApi(h.url, KEYS.config).count('backend-flask', 'app.smoke_id', 'a', 60));
    assert.ok([401, 403].includes(refused.status), String(refused.status));
    assert.not.ok(notYet(refused));
  } finally {
    await h.close();
  }
});

calls('notYet: a 404, or a 422 naming a column; not another 422, nor any other failure', () => {
  const err = (status: number, cause: string) => new HoneycombError(status, { cause, fix: '' });
  assert.ok(notYet(err(404, 'x')));
  assert.ok(notYet(err(422, 'unknown Column "app.smoke_id"')));
  assert.not.ok(notYet(err(422, 'invalid time range')));
  assert.not.ok(notYet(err(400, 'column')));
  assert.not.ok(notYet(new Error('404')));
});

calls('mayQuery: yes for an Enterprise key that may query, no for one that may not, yes when only rate-limited', async () => {
  const h = await startHoneycombFake({ keys: { [KEYS.enterprise]: { team: TEAM, environment: BOOTCAMP, type: 'configuration', enterprise: true, access: { queries: true } }, [KEYS.config]: { team: TEAM, environment: BOOTCAMP, type: 'configuration', access: { queries: true } } }, queryMs: 20 });
  try {
    assert.is(await new HoneycombApi(h.url, KEYS.enterprise).mayQuery(), true);
    assert.is(await new HoneycombApi(h.url, KEYS.config).mayQuery(), false, 'not Enterprise');
    h.setMode('rate-limited');
    assert.is(await new HoneycombApi(h.url, KEYS.config).mayQuery(), true);
    h.setMode('server-error');
    assert.is(await new HoneycombApi(h.url, KEYS.config).mayQuery(), false);
  } finally {
    await h.close();
  }
});

for (const s of [keys, regions, calls]) s.run();
