import { useSyncExternalStore } from 'react';

/** The signed-in user. */
export interface User {
  handle: string;
  displayName: string;
}

/** Until the first read answers, nobody knows whether anyone is signed in. */
export type Session = { checked: false } | { checked: true; user?: User };

/**
 * Reads who is signed in; a rejection means nobody. Week 3 replaces the mock with Amplify's
 * `Auth.currentAuthenticatedUser()`, as the course's checkAuth() does (attributes.name is the
 * display name, attributes.preferred_username the handle): asynchronous, so the pages wait for
 * it instead of showing "Sign in" to someone who is signed in.
 */
export type SessionReader = () => Promise<User | undefined>;

/**
 * The mock session at this point of the course: signed in as the seed user unless the visitor
 * signed out. The choice is kept in localStorage so a reload keeps it; nothing secret is stored.
 */
export const SEED_USER: User = { handle: 'andrewbrown', displayName: 'Andrew Brown' };
const KEY = 'cruddur.signed_out';

export const readMockSession: SessionReader = async () => {
  try {
    return localStorage.getItem(KEY) === '1' ? undefined : SEED_USER;
  } catch {
    return SEED_USER; // storage blocked (a private window's policy): stay signed in
  }
};

const listeners = new Set<() => void>();
let session: Session = { checked: false };

function set(next: Session): void {
  session = next;
  listeners.forEach((l) => l());
}

/** Reads the session (at start, and again whenever asked); the pages re-render when it answers. */
export async function checkSession(read: SessionReader = readMockSession): Promise<void> {
  try {
    const user = await read();
    set(user ? { checked: true, user } : { checked: true });
  } catch (err) {
    console.warn('[session] nobody is signed in:', (err as Error).message ?? err);
    set({ checked: true });
  }
}

function remember(signedOut: boolean): void {
  try {
    if (signedOut) localStorage.setItem(KEY, '1');
    else localStorage.removeItem(KEY);
  } catch {
    // kept for this tab only
  }
}

export const signIn = (user: User = SEED_USER): void => {
  remember(false);
  set({ checked: true, user });
};
export const signOut = (): void => {
  remember(true);
  set({ checked: true });
};

/** The session now, for code outside React. */
export const currentSession = (): Session => session;
/** The user now, for code outside React (span attributes); undefined until the read answers. */
export const currentUser = (): User | undefined => (session.checked ? session.user : undefined);

const subscribe = (l: () => void) => (listeners.add(l), () => void listeners.delete(l));

/** The session, re-rendering when it changes: `checked` is false until the read answers. */
export function useSessionState(): Session {
  return useSyncExternalStore(subscribe, currentSession);
}

/** The signed-in user, or undefined (signed out, or not known yet). */
export function useSession(): User | undefined {
  return useSyncExternalStore(subscribe, currentUser);
}
