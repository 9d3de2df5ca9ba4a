import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { ApiError } from '../api.ts';

// Below this many characters left, the screen reader hears the count (every keystroke
// before that would be noise).
const ANNOUNCE_BELOW = 20;

/**
 * A text box with a characters-left count and a submit button that is enabled only while the
 * text is within the limit and not blank. Sends, then clears; on failure keeps the text and
 * says why, so nothing typed is lost.
 */
export function MessageBox({ label, placeholder, max, submitLabel, send, children }: {
  label: string;
  placeholder: string;
  max: number;
  submitLabel: string;
  /** Posts the text; throws an ApiError to show. */
  send: (text: string) => Promise<void>;
  /** More fields beside the button (the expiry select). */
  children?: ReactNode;
}) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const countId = useId();
  const left = max - text.length;
  const blank = text.trim() === '';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (blank || left < 0 || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await send(text);
      setText('');
    } catch (err) {
      setError((err as ApiError).message);
    } finally {
      setBusy(false);
    }
  };
  const spoken = left < 0 ? `${-left} characters over the limit` : left <= ANNOUNCE_BELOW ? `${left} characters left` : '';
  return (
    <form className="message-box" onSubmit={submit}>
      <textarea aria-label={label} placeholder={placeholder} value={text} aria-describedby={countId} aria-invalid={left < 0} onChange={(e) => setText(e.target.value)} />
      <div className="row">
        <span id={countId} className={left < 0 ? 'count over' : 'count'} title={`${max} characters at most`}>{left}</span>
        <span className="visually-hidden" aria-live="polite">{spoken}</span>
        {children}
        <button type="submit" className="primary" disabled={blank || left < 0 || busy}>{submitLabel}</button>
      </div>
      {error && <p className="state error" role="alert">{error}</p>}
    </form>
  );
}
