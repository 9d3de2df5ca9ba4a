const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** ISO timestamps relative to now, as the course's mock data builds them with timedelta. */
export const ago = (now: Date, { days = 0, hours = 0 } = {}): string =>
  new Date(now.getTime() - days * DAY - hours * HOUR).toISOString();

export const ahead = (now: Date, { days = 0, hours = 0 } = {}): string =>
  new Date(now.getTime() + days * DAY + hours * HOUR).toISOString();

/** The course's ttl choices for a new activity, as offsets from now. */
export const TTL_HOURS = {
  '30-days': 30 * 24,
  '7-days': 7 * 24,
  '3-days': 3 * 24,
  '1-day': 24,
  '12-hours': 12,
  '3-hours': 3,
  '1-hour': 1,
} as const;

export type Ttl = keyof typeof TTL_HOURS;
