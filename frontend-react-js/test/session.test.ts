// The session store: it waits for an asynchronous read (week 3's currentAuthenticatedUser()),
// a failed read means signed out, and signing out is remembered.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

// localStorage as the browser has it, for the mock's "signed out" flag.
const stored = new Map<string, string>();
Object.defineProperty(globalThis, 'localStorage', {
  configurable: true,
  value: { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v), removeItem: (k: string) => void stored.delete(k) },
});
const { checkSession, currentSession, currentUser, readMockSession, signOut, signIn, SEED_USER } = await import('../src/session.ts');

test('until the read answers nobody is known; then its user is', async () => {
  assert.equal(currentSession(), { checked: false });
  let answer!: (u: typeof SEED_USER) => void;
  const checking = checkSession(() => new Promise((resolve) => (answer = resolve)));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(currentSession(), { checked: false }, 'still waiting for the read');
  assert.is(currentUser(), undefined);
  answer({ handle: 'bayko', displayName: 'Andrew Bayko' });
  await checking;
  assert.equal(currentSession(), { checked: true, user: { handle: 'bayko', displayName: 'Andrew Bayko' } });
});

test('a read that fails (Amplify rejects with "The user is not authenticated") is signed out', async () => {
  const warn = console.warn;
  console.warn = () => {};
  try {
    await checkSession(() => Promise.reject(new Error('The user is not authenticated')));
  } finally {
    console.warn = warn;
  }
  assert.equal(currentSession(), { checked: true });
});

test('the mock: signed in as the seed user until signed out, and a reload keeps the choice', async () => {
  stored.clear();
  assert.equal(await readMockSession(), SEED_USER);
  signOut();
  assert.equal(currentSession(), { checked: true });
  assert.is(await readMockSession(), undefined, 'a new page load reads signed out');
  signIn();
  assert.equal(await readMockSession(), SEED_USER);
  assert.equal(currentUser(), SEED_USER);
});

test.run();
