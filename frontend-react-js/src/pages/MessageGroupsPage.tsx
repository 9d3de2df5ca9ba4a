import { NavLink, useLocation } from 'react-router';
import { Ago } from '../components/Ago.tsx';
import { Avatar } from '../components/Avatar.tsx';
import { Page } from '../components/Page.tsx';
import { Data } from '../components/States.tsx';
import type { MessageGroup } from '../types.ts';
import { useApi } from '../useApi.ts';

/** The conversations, newest first: beside the open one on a wide screen, alone on a phone. */
export function MessageGroupList() {
  const groups = useApi<MessageGroup[]>('/api/message_groups');
  const { pathname } = useLocation();
  // The open conversation, by either form of its URL (handle, or week 5's group uuid).
  const open = (g: MessageGroup) => pathname === `/messages/@${g.handle}` || pathname === `/messages/${g.uuid}`;
  return (
    <Data loaded={groups} reload={groups.reload} empty="No conversations yet." isEmpty={(d) => d.length === 0}>
      {(list) => (
        <ul className="groups" aria-label="Conversations">
          {list.map((g) => (
            <li key={g.uuid}>
              <NavLink to={`/messages/@${g.handle}`} className={open(g) ? 'active' : undefined} aria-current={open(g) ? 'page' : undefined}>
                <Avatar handle={g.handle} name={g.display_name} size={40} />
                <span className="body">
                  <span className="byline">
                    <span className="identity"><span className="display-name">{g.display_name}</span> <span className="handle">@{g.handle}</span></span>
                    <Ago iso={g.created_at} />
                  </span>
                  <span className="preview">{g.message}</span>
                </span>
              </NavLink>
            </li>
          ))}
        </ul>
      )}
    </Data>
  );
}

/** The conversations; on a wide screen, beside the space where the open one will show. */
export function MessageGroupsPage() {
  return (
    <div className="messages-layout">
      <Page title="Messages" className="conversations">
        <MessageGroupList />
      </Page>
      <div className="thread no-thread">
        <p className="state empty">Choose a conversation to read it and reply.</p>
      </div>
    </div>
  );
}
