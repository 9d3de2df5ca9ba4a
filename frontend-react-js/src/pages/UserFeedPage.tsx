import { ActivityFeed } from '../components/ActivityFeed.tsx';
import { Data } from '../components/States.tsx';
import type { Activity } from '../types.ts';
import { useApi } from '../useApi.ts';

export function UserFeedPage({ handle }: { handle: string }) {
  const feed = useApi<Activity[]>(`/api/activities/@${encodeURIComponent(handle)}`);
  return (
    <section>
      <h1>@{handle}</h1>
      <Data loaded={feed} reload={feed.reload} empty={`@${handle} has not posted yet.`} isEmpty={(d) => d.length === 0}>
        {(activities) => <ActivityFeed activities={activities} />}
      </Data>
    </section>
  );
}
