import { Link } from 'react-router';
import type { Activity } from '../types.ts';

const when = (iso: string) => new Date(iso).toLocaleString();

export function ActivityFeed({ activities }: { activities: Activity[] }) {
  return (
    <ul className="feed">
      {activities.map((a) => (
        <li key={a.uuid} className="activity" data-testid="activity">
          <header>
            <Link to={`/@${a.handle.replace(/\s+/g, '').toLowerCase()}`} className="handle">{a.display_name ?? a.handle}</Link>
            <time dateTime={a.created_at}>{when(a.created_at)}</time>
          </header>
          <p>{a.message}</p>
          <footer>
            <span title="replies">↩ {a.replies_count}</span>
            <span title="reposts">⟳ {a.reposts_count}</span>
            <span title="likes">♥ {a.likes_count}</span>
          </footer>
          {a.replies.length > 0 && (
            <ul className="replies">
              {a.replies.map((r) => (
                <li key={r.uuid}><strong>{r.handle}</strong> {r.message}</li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}
