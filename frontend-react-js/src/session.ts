import { useSyncExternalStore } from 'react';

/** The signed-in user. */
export interface User {
  handle: string;
  displayName: string;
}

/**
 * A mock session at this point of the course (real sign-in, with Cognito, comes in week 3):
 * signed in as the seed user unless the visitor signed out. The choice is kept in
 * localStorage so a reload keeps it; nothing secret is stored.
 */
export const SEED_USER: User = { handle: 'andrewbrown', displayName: 'Andrew Brown' };
const KEY = 'cruddur.signed_out';
const listeners = new Set<() => void>();

const read = (): User | undefined => {
  try {
    return localStorage.getItem(KEY) === '1' ? undefined : SEED_USER;
  } catch {
    return SEED_USER; // storage blocked (a private window's policy): stay signed in
  }
};
let user = read();

/** The user now, for code outside React (span attributes). */
export const currentUser = (): User | undefined => user;

function set(next: User | undefined): void {
  user = next;
  try {
    if (next) localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, '1');
  } catch {
    // kept for this tab only
  }
  listeners.forEach((l) => l());
}

export const signIn = (): void => set(SEED_USER);
export const signOut = (): void => set(undefined);

/** The signed-in user, re-rendering when it changes. */
export function useSession(): User | undefined {
  return useSyncExternalStore(
    (l) => (listeners.add(l), () => listeners.delete(l)),
    currentUser,
  );
}
