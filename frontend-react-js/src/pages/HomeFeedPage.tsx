import { useEffect } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { ActivityForm } from '../components/ActivityForm.tsx';
import { Feed } from '../components/Feed.tsx';
import { Page } from '../components/Page.tsx';
import type { Activity } from '../types.ts';
import { useApi } from '../useApi.ts';
import { useSession } from '../session.ts';

export function HomeFeedPage() {
  const feed = useApi<Activity[]>('/api/activities/home');
  const user = useSession();
  // A crud posted from the nav's popup (CrudDialog) arrives with the navigation: on top at the
  // first render that has the feed (no flash of the feed without it), then kept in the feed's
  // data, and the navigation's state cleared: a reload does not bring it back (the mock keeps nothing).
  const posted = (useLocation().state as { posted?: Activity } | null)?.posted;
  const navigate = useNavigate();
  const withPosted = posted && feed.state === 'ready' && !feed.data.some((a) => a.uuid === posted.uuid) ? [posted, ...feed.data] : undefined;
  useEffect(() => {
    if (!posted || feed.state !== 'ready') return;
    if (withPosted) feed.replace(withPosted);
    navigate('/', { replace: true, state: null });
  }, [posted, feed, withPosted, navigate]);
  const shown = withPosted && feed.state === 'ready' ? { ...feed, data: withPosted } : feed;
  return (
    <Page title="Home">
      {user && <ActivityForm onPosted={(a) => feed.state === 'ready' && feed.replace([a, ...feed.data])} />}
      <Feed feed={shown} empty="Nothing in your feed yet." />
    </Page>
  );
}
