import { randomUUID } from 'node:crypto';
import { CURRENT_USER } from './messages.ts';
import { TTL_HOURS, ahead, type Ttl } from './time.ts';
import type { Activity, Reply } from './types.ts';

export function createActivity(message: string, ttl: Ttl, now = new Date()): Activity {
  return {
    uuid: randomUUID(),
    ...CURRENT_USER,
    message,
    created_at: now.toISOString(),
    expires_at: ahead(now, { hours: TTL_HOURS[ttl] }),
    likes_count: 0,
    replies_count: 0,
    reposts_count: 0,
    replies: [],
  };
}

export function createReply(activityUuid: string, message: string, now = new Date()): Reply {
  return {
    uuid: randomUUID(),
    reply_to_activity_uuid: activityUuid,
    // The author as the page shows them (the course's create_reply has it too); without it your
    // own reply showed as "andrewbrown" under "Andrew Brown".
    ...CURRENT_USER,
    message,
    likes_count: 0,
    replies_count: 0,
    reposts_count: 0,
    created_at: now.toISOString(),
  };
}
