import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
import { Data } from '../components/States.tsx';
import type { Message } from '../types.ts';
import { useApi } from '../useApi.ts';

export function MessageGroupPage({ handle }: { handle: string }) {
  const conversation = useApi<Message[]>(`/api/messages/@${encodeURIComponent(handle)}`);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const send = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      const sent = await api<Message>('/api/messages', { method: 'POST', body: JSON.stringify({ message: text, user_receiver_handle: handle }) });
      if (conversation.state === 'ready') conversation.replace([...conversation.data, sent]);
      setText('');
    } catch (err) {
      setError((err as ApiError).message);
    }
  };
  return (
    <section>
      <h1>Messages with @{handle}</h1>
      <Data loaded={conversation} reload={conversation.reload} empty="No messages yet: say hello." isEmpty={(d) => d.length === 0}>
        {(messages) => (
          <ul className="messages">
            {messages.map((m) => (
              <li key={m.uuid} className={m.handle === handle ? 'theirs' : 'mine'}>
                <strong>{m.display_name}</strong>
                <p>{m.message}</p>
              </li>
            ))}
          </ul>
        )}
      </Data>
      <form className="compose" onSubmit={send}>
        <textarea aria-label="Message" placeholder="Send a message" value={text} onChange={(e) => setText(e.target.value)} />
        <div className="row"><button type="submit">Send</button></div>
        {error && <p className="state error" role="alert">{error}</p>}
      </form>
    </section>
  );
}
