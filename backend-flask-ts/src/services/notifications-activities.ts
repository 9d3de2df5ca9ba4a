import { ago, ahead } from './time.ts';
import type { Activity } from './types.ts';

export function notificationsActivities(now = new Date()): Activity[] {
  return [
    {
      uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
      handle: 'coco',
      message: 'I am white unicorn',
      created_at: ago(now, { days: 2 }),
      expires_at: ahead(now, { days: 5 }),
      likes_count: 5,
      replies_count: 1,
      reposts_count: 0,
      replies: [
        {
          uuid: '26e12864-1c26-5c3a-9658-97a10f8fea67',
          reply_to_activity_uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
          handle: 'Worf',
          message: 'This post has no honor!',
          likes_count: 0,
          replies_count: 0,
          reposts_count: 0,
          created_at: ago(now, { days: 2 }),
        },
      ],
    },
  ];
}
