import { tracer } from '../telemetry/tracer.ts';
import { ago, ahead } from './time.ts';
import type { Activity } from './types.ts';

/** The home feed: the course's mock data, inside the custom span the course adds in week 2. */
export function homeActivities(now = new Date()): Activity[] {
  return tracer.startActiveSpan('home-activities-mock-data', (span) => {
    try {
      span.setAttribute('app.now', now.toISOString());
      const results: Activity[] = [
        {
          uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
          handle: 'Andrew Brown',
          message: 'Cloud is very fun!',
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
        {
          uuid: '66e12864-8c26-4c3a-9658-95a10f8fea67',
          handle: 'Worf',
          message: 'I am out of prune juice',
          created_at: ago(now, { days: 7 }),
          expires_at: ahead(now, { days: 9 }),
          likes_count: 0,
          replies_count: 0,
          reposts_count: 0,
          replies: [],
        },
        {
          uuid: '248959df-3079-4947-b847-9e0892d1bab4',
          handle: 'Garek',
          message: 'My dear doctor, I am just simple tailor',
          created_at: ago(now, { hours: 1 }),
          expires_at: ahead(now, { hours: 12 }),
          likes_count: 0,
          replies_count: 0,
          reposts_count: 0,
          replies: [],
        },
      ];
      span.setAttribute('app.result_length', results.length);
      return results;
    } finally {
      span.end();
    }
  });
}
