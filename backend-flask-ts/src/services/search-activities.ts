import { homeActivities } from './home-activities.ts';
import { notificationsActivities } from './notifications-activities.ts';
import { ago, ahead } from './time.ts';
import type { Activity } from './types.ts';

/**
 * The course's one search result (Cloudflare), and every crud the other pages show: a word you
 * can read in the feed ("prune") is found, by its text, its author's handle or name.
 */
export function searchActivities(term: string, now = new Date()): Activity[] {
  const own: Activity[] = [
    {
      uuid: '248959df-3079-4947-b847-9e0892d1bab4',
      handle: 'Andrew Brown',
      message: 'Cloudflare is used by many websites',
      created_at: ago(now, { days: 1 }),
      expires_at: ahead(now, { days: 31 }),
      likes_count: 0,
      replies_count: 0,
      reposts_count: 0,
      replies: [],
    },
  ];
  const seen = new Set<string>();
  const all = [...own, ...homeActivities(now), ...notificationsActivities(now)].filter((a) => !seen.has(a.uuid) && seen.add(a.uuid));
  const needle = term.toLowerCase();
  return all.filter((a) => [a.message, a.handle, a.display_name ?? ''].some((field) => field.toLowerCase().includes(needle)));
}
