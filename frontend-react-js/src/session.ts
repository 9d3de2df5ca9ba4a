/** The signed-in user: a mock session at this point of the course (sign-in comes in week 3). */
export const SESSION = { handle: 'andrewbrown', displayName: 'Andrew Brown' } as const;
