const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long ago, as the course's cards say it: "now", "5m ago", "2h ago", "3d ago", then the date. */
export function ago(iso: string, now = Date.now()): string {
  const ms = now - Date.parse(iso);
  if (ms < MINUTE) return 'now';
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)}m ago`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)}h ago`;
  if (ms < 7 * DAY) return `${Math.floor(ms / DAY)}d ago`;
  return new Date(iso).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/**
 * Time left before a crud expires, to the nearest unit: "5d", "12h", "30m" (at least "1m"
 * until it has gone). Nearest, not rounded down: a crud made a moment ago to last 7 days
 * has 7 days left, not "6d".
 */
export function expiresIn(iso: string, now = Date.now()): string {
  const ms = Date.parse(iso) - now;
  if (ms <= 0) return 'expired';
  const hours = Math.round(ms / HOUR);
  if (hours >= 24) return `${Math.round(ms / DAY)}d`;
  if (hours >= 1 && ms >= HOUR - MINUTE / 2) return `${Math.max(1, hours)}h`;
  return `${Math.min(59, Math.max(1, Math.round(ms / MINUTE)))}m`;
}

/** The full date and time, for a title on hover. */
export const fullTime = (iso: string): string => new Date(iso).toLocaleString();
