import { Link } from 'react-router';
import { Data } from '../components/States.tsx';
import type { MessageGroup } from '../types.ts';
import { useApi } from '../useApi.ts';

export function MessageGroupsPage() {
  const groups = useApi<MessageGroup[]>('/api/message_groups');
  return (
    <section>
      <h1>Messages</h1>
      <Data loaded={groups} reload={groups.reload} empty="No conversations yet." isEmpty={(d) => d.length === 0}>
        {(list) => (
          <ul className="groups">
            {list.map((g) => (
              <li key={g.uuid}>
                <Link to={`/messages/@${g.handle}`}>
                  <strong>{g.display_name}</strong> <span className="handle">@{g.handle}</span>
                  <p>{g.message}</p>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Data>
    </section>
  );
}
