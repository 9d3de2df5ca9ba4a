import { tracer } from '../telemetry/tracer.ts';
import { displayNameOf } from './people.ts';
import { ago, ahead } from './time.ts';
import type { Activity } from './types.ts';

/**
 * A user's activities. The child span is the course's X-Ray subsegment: the collector's
 * awsxray exporter indexes `app.user_handle` as an annotation, so X-Ray can filter on it.
 */
export function userActivities(handle: string, now = new Date()): Activity[] {
  return tracer.startActiveSpan('user-activities-mock-data', (span) => {
    try {
      span.setAttribute('app.user_handle', handle);
      span.setAttribute('app.now', now.toISOString());
      const results: Activity[] = [
        {
          uuid: '248959df-3079-4947-b847-9e0892d1bab4',
          handle,
          ...(displayNameOf(handle) ? { display_name: displayNameOf(handle) } : {}),
          message: 'Cloud is fun!',
          created_at: ago(now, { days: 1 }),
          expires_at: ahead(now, { days: 31 }),
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
