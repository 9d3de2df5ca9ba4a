import { Avatar } from '../components/Avatar.tsx';
import { Feed } from '../components/Feed.tsx';
import { Page } from '../components/Page.tsx';
import { useSession } from '../session.ts';
import type { Activity } from '../types.ts';
import { useApi } from '../useApi.ts';

export function UserFeedPage({ handle }: { handle: string }) {
  const feed = useApi<Activity[]>(`/api/activities/@${encodeURIComponent(handle)}`);
  const me = useSession();
  // The name the API gives, else the signed-in user's own: one person, one name on every page.
  const name = (feed.state === 'ready' ? feed.data.find((a) => a.display_name)?.display_name : undefined) ?? (me?.handle === handle ? me.displayName : undefined);
  return (
    <Page title={`@${handle}`} heading={<><Avatar handle={handle} name={name} size={56} /> <span>{name ?? `@${handle}`}{name && <span className="handle"> @{handle}</span>}</span></>} className="profile">
      <Feed feed={feed} empty={`@${handle} has not posted yet.`} />
    </Page>
  );
}
