/**
 * The course's people and their names, so one handle has one name on every page: the mock
 * data's (home, messages) and week 4's seed.sql (Andrew Brown @andrewbrown, Andrew Bayko @bayko).
 * An unknown handle has no name: the front end shows its @handle.
 */
const NAMES: Readonly<Record<string, string>> = {
  andrewbrown: 'Andrew Brown',
  bayko: 'Andrew Bayko',
  worf: 'Worf',
  garek: 'Garek',
};

export const displayNameOf = (handle: string): string | undefined => NAMES[handle.toLowerCase()];
