import { ago, ahead } from './time.ts';
import type { Activity } from './types.ts';

export function searchActivities(term: string, now = new Date()): Activity[] {
  const all: Activity[] = [
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
  const needle = term.toLowerCase();
  return all.filter((a) => a.message.toLowerCase().includes(needle) || a.handle.toLowerCase().includes(needle));
}
