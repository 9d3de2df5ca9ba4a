import { useState } from 'react';
import type { Activity } from '../types.ts';
import type { ApiState } from '../useApi.ts';
import { ActivityItem } from './ActivityItem.tsx';
import { ReplyDialog } from './ReplyDialog.tsx';
import { Data } from './States.tsx';

/** A feed of cruds with its loading, error and empty states, and the reply popup. */
export function Feed({ feed, empty }: { feed: ApiState<Activity[]>; empty: string }) {
  const [replyTo, setReplyTo] = useState<Activity | undefined>();
  const update = (a: Activity) => feed.state === 'ready' && feed.replace(feed.data.map((x) => (x.uuid === a.uuid ? a : x)));
  return (
    <Data loaded={feed} reload={feed.reload} empty={empty} isEmpty={(d) => d.length === 0}>
      {(activities) => (
        <>
          <ul className="feed">
            {activities.map((a) => <ActivityItem key={a.uuid} activity={a} onReply={setReplyTo} />)}
          </ul>
          {replyTo && <ReplyDialog activity={replyTo} onClose={() => setReplyTo(undefined)} onReplied={update} />}
        </>
      )}
    </Data>
  );
}
