import { Feed } from '../components/Feed.tsx';
import { Page } from '../components/Page.tsx';
import type { Activity } from '../types.ts';
import { useApi } from '../useApi.ts';

export function NotificationsFeedPage() {
  const feed = useApi<Activity[]>('/api/activities/notifications');
  return (
    <Page title="Notifications">
      <Feed feed={feed} empty="No notifications." />
    </Page>
  );
}
