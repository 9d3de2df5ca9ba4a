import { Avatar } from '../components/Avatar.tsx';
import { Feed } from '../components/Feed.tsx';
import { Page } from '../components/Page.tsx';
import type { Activity } from '../types.ts';
import { useApi } from '../useApi.ts';

export function UserFeedPage({ handle }: { handle: string }) {
  const feed = useApi<Activity[]>(`/api/activities/@${encodeURIComponent(handle)}`);
  const name = feed.state === 'ready' ? feed.data[0]?.display_name : undefined;
  return (
    <Page title={`@${handle}`} heading={<><Avatar handle={handle} name={name} size={56} /> <span>{name ?? `@${handle}`}{name && <span className="handle"> @{handle}</span>}</span></>} className="profile">
      <Feed feed={feed} empty={`@${handle} has not posted yet.`} />
    </Page>
  );
}
