import { ActivityFeed } from '../components/ActivityFeed.tsx';
import { ActivityForm } from '../components/ActivityForm.tsx';
import { Data } from '../components/States.tsx';
import type { Activity } from '../types.ts';
import { useApi } from '../useApi.ts';

export function HomeFeedPage() {
  const feed = useApi<Activity[]>('/api/activities/home');
  return (
    <section>
      <h1>Home</h1>
      <ActivityForm onPosted={(a) => feed.state === 'ready' && feed.replace([a, ...feed.data])} />
      <Data loaded={feed} reload={feed.reload} empty="Nothing in your feed yet." isEmpty={(d) => d.length === 0}>
        {(activities) => <ActivityFeed activities={activities} />}
      </Data>
    </section>
  );
}
