import { useState } from 'react';
import { api } from '../api.ts';
import type { Activity } from '../types.ts';
import { MessageBox } from './MessageBox.tsx';

// The backend's choices and limit (backend-flask-ts/src/services/time.ts, http/validation.ts).
const TTLS = ['30-days', '7-days', '3-days', '1-day', '12-hours', '3-hours', '1-hour'];
const MAX = 280;

export function ActivityForm({ onPosted }: { onPosted: (a: Activity) => void }) {
  const [ttl, setTtl] = useState('7-days');
  return (
    <div className="compose">
      <MessageBox label="What would you like to say?" placeholder="What would you like to say?" max={MAX} submitLabel="Crud"
        send={async (message) => onPosted(await api<Activity>('/api/activities', { method: 'POST', body: JSON.stringify({ message, ttl }) }))}>
        <select aria-label="Expires in" value={ttl} onChange={(e) => setTtl(e.target.value)}>
          {TTLS.map((t) => <option key={t} value={t}>{t.replace('-', ' ')}</option>)}
        </select>
      </MessageBox>
    </div>
  );
}
