import { ActivityFeed } from '../components/ActivityFeed.tsx';
import { Data } from '../components/States.tsx';
import type { Activity } from '../types.ts';
import { useApi } from '../useApi.ts';

export function NotificationsFeedPage() {
  const feed = useApi<Activity[]>('/api/activities/notifications');
  return (
    <section>
      <h1>Notifications</h1>
      <Data loaded={feed} reload={feed.reload} empty="No notifications." isEmpty={(d) => d.length === 0}>
        {(activities) => <ActivityFeed activities={activities} />}
      </Data>
    </section>
  );
}
