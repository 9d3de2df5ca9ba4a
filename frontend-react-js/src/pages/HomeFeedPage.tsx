import { ActivityForm } from '../components/ActivityForm.tsx';
import { Feed } from '../components/Feed.tsx';
import { Page } from '../components/Page.tsx';
import type { Activity } from '../types.ts';
import { useApi } from '../useApi.ts';
import { useSession } from '../session.ts';

export function HomeFeedPage() {
  const feed = useApi<Activity[]>('/api/activities/home');
  const user = useSession();
  return (
    <Page title="Home">
      {user && <ActivityForm onPosted={(a) => feed.state === 'ready' && feed.replace([a, ...feed.data])} />}
      <Feed feed={feed} empty="Nothing in your feed yet." />
    </Page>
  );
}
