import { Link } from 'react-router';
import { api } from '../api.ts';
import { Ago } from '../components/Ago.tsx';
import { Avatar } from '../components/Avatar.tsx';
import { Icon } from '../components/Icons.tsx';
import { MessageBox } from '../components/MessageBox.tsx';
import { Page } from '../components/Page.tsx';
import { Data } from '../components/States.tsx';
import type { Message } from '../types.ts';
import { useApi } from '../useApi.ts';
import { MessageGroupList } from './MessageGroupsPage.tsx';

const MAX = 1024; // the backend's limit for a message

export function MessageGroupPage({ handle }: { handle: string }) {
  const conversation = useApi<Message[]>(`/api/messages/@${encodeURIComponent(handle)}`);
  const send = async (message: string) => {
    const sent = await api<Message>('/api/messages', { method: 'POST', body: JSON.stringify({ message, user_receiver_handle: handle }) });
    if (conversation.state === 'ready') conversation.replace([...conversation.data, sent]);
  };
  return (
    <div className="messages-layout">
      <nav className="conversations" aria-label="Conversations">
        <MessageGroupList />
      </nav>
      <Page title={`Messages with @${handle}`} back={<Link to="/messages" className="back icon-button" aria-label="All conversations"><Icon name="back" /></Link>} className="thread">
        <Data loaded={conversation} reload={conversation.reload} empty="No messages yet: say hello." isEmpty={(d) => d.length === 0}>
          {(messages) => (
            <ul className="messages">
              {messages.map((m) => (
                <li key={m.uuid} className={m.handle === handle ? 'theirs' : 'mine'}>
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
