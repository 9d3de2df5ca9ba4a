import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
import type { Activity } from '../types.ts';

const TTLS = ['30-days', '7-days', '3-days', '1-day', '12-hours', '3-hours', '1-hour'];
const MAX = 280;

export function ActivityForm({ onPosted }: { onPosted: (a: Activity) => void }) {
  const [message, setMessage] = useState('');
  const [ttl, setTtl] = useState('7-days');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onPosted(await api<Activity>('/api/activities', { method: 'POST', body: JSON.stringify({ message, ttl }) }));
      setMessage('');
    } catch (err) {
      setError((err as ApiError).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="compose" onSubmit={submit}>
      <textarea aria-label="What would you like to say?" placeholder="What would you like to say?" value={message} onChange={(e) => setMessage(e.target.value)} />
      <div className="row">
        <span className={message.length > MAX ? 'count over' : 'count'}>{MAX - message.length}</span>
        <select aria-label="Expires in" value={ttl} onChange={(e) => setTtl(e.target.value)}>
          {TTLS.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
        <button type="submit" disabled={busy}>Crud</button>
      </div>
      {error && <p className="state error" role="alert">{error}</p>}
    </form>
  );
}
