import { useEffect } from 'react';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { Ago } from '../components/Ago.tsx';
import { Avatar } from '../components/Avatar.tsx';
import { Icon } from '../components/Icons.tsx';
import { MessageBox } from '../components/MessageBox.tsx';
import { Page } from '../components/Page.tsx';
import { Data } from '../components/States.tsx';
import { useSession } from '../session.ts';
import type { Message } from '../types.ts';
import { useApi } from '../useApi.ts';
import { MessageGroupList } from './MessageGroupsPage.tsx';

const MAX = 1024; // the backend's limit for a message

/**
 * A conversation: by the other person's handle (the course until week 4: /messages/@handle,
 * and week 5's /messages/new/:handle), or by its message group (week 5's DynamoDB:
 * /messages/:message_group_uuid). A bubble is mine when its sender is the signed-in user,
 * whatever the URL says.
 */
export function MessageGroupPage({ handle, groupUuid }: { handle?: string; groupUuid?: string }) {
  const me = useSession();
  const path = groupUuid ? `/api/messages/${encodeURIComponent(groupUuid)}` : `/api/messages/@${encodeURIComponent(handle ?? '')}`;
  const conversation = useApi<Message[]>(path);
  const other = handle ?? (conversation.state === 'ready' ? conversation.data.find((m) => m.handle !== me?.handle)?.handle : undefined);
  // The newest message in sight, as in any chat: when the conversation opens and after each
  // send (the box sticks to the bottom of the screen, over whatever is below it). The page is
  // the scroller: its bottom is the thread's end, the box right under the last message.
  const count = conversation.state === 'ready' ? conversation.data.length : 0;
  useEffect(() => {
    if (count) window.scrollTo({ top: document.documentElement.scrollHeight });
  }, [count]);
  const send = async (message: string) => {
    // Week 5's form posts the group it writes to; before, the handle it writes to.
    const body = groupUuid ? { message, message_group_uuid: groupUuid } : { message, user_receiver_handle: handle };
    const sent = await api<Message>('/api/messages', { method: 'POST', body: JSON.stringify(body) });
    if (conversation.state === 'ready') conversation.replace([...conversation.data, sent]);
  };
  return (
    <div className="messages-layout">
      <nav className="conversations" aria-label="Conversations">
        {/* The list's heading stays when a conversation opens: without it the list jumped up
            57 px and no longer lined up with the thread. The page's h1 is the thread's. */}
        <header className="page-header">
          <h2 className="list-heading">Messages</h2>
        </header>
        <MessageGroupList />
      </nav>
      <Page title={other ? `Messages with @${other}` : 'Messages'} back={<Link to="/messages" className="back icon-button" aria-label="All conversations"><Icon name="back" /></Link>} className="thread">
        <Data loaded={conversation} reload={conversation.reload} empty="No messages yet: say hello." isEmpty={(d) => d.length === 0}>
          {(messages) => (
            <ul className="messages">
              {messages.map((m) => (
                <li key={m.uuid} className={me && m.handle === me.handle ? 'mine' : 'theirs'}>
                  <Avatar handle={m.handle} name={m.display_name} size={32} />
                  <div className="bubble">
                    <span className="byline"><span className="display-name">{m.display_name}</span> <Ago iso={m.created_at} /></span>
                    <p className="message">{m.message}</p>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </Data>
        <MessageBox label="Message" placeholder="Send a message" max={MAX} submitLabel="Send" send={send} />
      </Page>
    </div>
  );
}
