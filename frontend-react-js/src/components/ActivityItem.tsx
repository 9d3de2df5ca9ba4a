import { useState } from 'react';
import { Link } from 'react-router';
import { expiresIn, fullTime } from '../lib/time.ts';
import { urlHandle } from '../lib/handles.ts';
import { useSession } from '../session.ts';
import type { Activity, Reply } from '../types.ts';
import { Ago } from './Ago.tsx';
import { Avatar } from './Avatar.tsx';
import { Icon, type IconName } from './Icons.tsx';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Who posted and when: avatar, name, @handle, "2h ago", and the expiry if it has one. */
function Byline({ item }: { item: Activity | Reply }) {
  const handle = urlHandle(item.handle);
  const name = 'display_name' in item && item.display_name ? item.display_name : item.handle;
  return (
    <div className="byline">
      <Link to={`/@${handle}`} className="identity">
        <span className="display-name">{name}</span>
        <span className="handle">@{handle}</span>
      </Link>
      <div className="times">
        <Ago iso={item.created_at} />
        {'expires_at' in item && item.expires_at && (
          <span className="expires" title={`Expires ${fullTime(item.expires_at)}`}>
            <Icon name="expires" size={14} />
            <span className="visually-hidden">expires in </span>{expiresIn(item.expires_at)}
          </span>
        )}
      </div>
    </div>
  );
}

/** Signed out, an action leads to the sign-in page instead (it would act as nobody). */
function SignInTo({ verb, icon, count, counted }: { verb: string; icon: IconName; count: number; counted: string }) {
  return (
    <Link to="/signin" className="action" data-action={verb} aria-label={`Sign in to ${verb} (${counted})`}>
      <Icon name={icon} size={18} /><span className="counter" aria-hidden="true">{count || ''}</span>
    </Link>
  );
}

/** One crud: who, when, what, its replies, and the actions on it. */
export function ActivityItem({ activity, onReply }: { activity: Activity; onReply: (a: Activity) => void }) {
  // Likes and reposts have no API until week 5 (DynamoDB): they change here only.
  const [liked, setLiked] = useState(false);
  const [reposted, setReposted] = useState(false);
  const [shared, setShared] = useState<string | undefined>();
  const me = useSession();
  // Later weeks' SQL sends some of these or none (week 4's home.sql: no replies; object.sql:
  // no counts either): show what is there.
  const replies = activity.replies ?? [];
  const repliesCount = activity.replies_count ?? replies.length;
  const likes = (activity.likes_count ?? 0) + (liked ? 1 : 0);
  const reposts = (activity.reposts_count ?? 0) + (reposted ? 1 : 0);
  const share = async () => {
    const url = `${window.location.origin}/@${urlHandle(activity.handle)}`;
    try {
      await navigator.clipboard.writeText(url);
      setShared('Link copied');
      // Said once, then gone: a "Link copied" left on the card reads as still happening.
      setTimeout(() => setShared(undefined), 3000);
    } catch {
      setShared(url); // no clipboard (an insecure origin): show the link to copy by hand
    }
  };
  return (
    <li className="activity" data-testid="activity">
      <Avatar handle={urlHandle(activity.handle)} name={activity.display_name ?? activity.handle} />
      <div className="body">
        <Byline item={activity} />
        <p className="message">{activity.message}</p>
        <div className="actions">
          {me ? (
            <>
              <button type="button" className="action" data-action="reply" aria-label={`Reply (${plural(repliesCount, 'reply', 'replies')})`} onClick={() => onReply(activity)}>
                <Icon name="reply" size={18} /><span className="counter" aria-hidden="true">{repliesCount || ''}</span>
              </button>
              <button type="button" className="action" data-action="repost" aria-pressed={reposted} aria-label={`Repost (${plural(reposts, 'repost')})`} onClick={() => setReposted(!reposted)}>
                <Icon name="repost" size={18} /><span className="counter" aria-hidden="true">{reposts || ''}</span>
              </button>
              <button type="button" className="action" data-action="like" aria-pressed={liked} aria-label={`Like (${plural(likes, 'like')})`} onClick={() => setLiked(!liked)}>
                <Icon name="like" size={18} /><span className="counter" aria-hidden="true">{likes || ''}</span>
              </button>
            </>
          ) : (
            <>
              <SignInTo verb="reply" icon="reply" count={repliesCount} counted={plural(repliesCount, 'reply', 'replies')} />
              <SignInTo verb="repost" icon="repost" count={reposts} counted={plural(reposts, 'repost')} />
              <SignInTo verb="like" icon="like" count={likes} counted={plural(likes, 'like')} />
            </>
          )}
          <button type="button" className="action" data-action="share" aria-label="Share" onClick={share}>
            <Icon name="share" size={18} />
          </button>
          <span className="shared" role="status">{shared}</span>
        </div>
        {replies.length > 0 && (
          <ul className="replies" aria-label="Replies">
            {replies.map((r) => (
              <li key={r.uuid} className="reply">
                <Avatar handle={urlHandle(r.handle)} name={r.display_name ?? r.handle} size={32} />
                <div className="body">
                  <Byline item={r} />
                  <p className="message">{r.message}</p>
                </div>
              </li>
            ))}
          </ul>
        )}
      </div>
    </li>
  );
}
