import { useState } from 'react';
import { api } from '../api.ts';
import type { Activity } from '../types.ts';
import { MessageBox } from './MessageBox.tsx';

// The backend's choices and limit (backend-flask-ts/src/services/time.ts, http/validation.ts).
const TTLS = ['30-days', '7-days', '3-days', '1-day', '12-hours', '3-hours', '1-hour'];
const MAX = 280;

const DEFAULT_TTL = '7-days';

export function ActivityForm({ onPosted }: { onPosted: (a: Activity) => void }) {
  const [ttl, setTtl] = useState(DEFAULT_TTL);
  const [posted, setPosted] = useState(false);
  const send = async (message: string) => {
    onPosted(await api<Activity>('/api/activities', { method: 'POST', body: JSON.stringify({ message, ttl }) }));
    // As the course's form does: each crud starts from 7 days again.
    setTtl(DEFAULT_TTL);
    setPosted(true);
  };
  return (
    <div className="compose">
      <MessageBox label="What would you like to say?" placeholder="What would you like to say?" max={MAX} submitLabel="Crud" send={send}>
        <select aria-label="Expires in" value={ttl} onChange={(e) => setTtl(e.target.value)}>
          {TTLS.map((t) => <option key={t} value={t}>{t.replace('-', ' ')}</option>)}
        </select>
      </MessageBox>
      {/* Until week 4's database the backend keeps nothing: say so before the crud is missed. */}
      {posted && <p className="note" role="status">Posted. This week’s backend is a mock that keeps nothing: your cruds show until you leave this page (week 4 adds the database).</p>}
    </div>
  );
}
