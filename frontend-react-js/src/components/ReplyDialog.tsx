import { useEffect, useRef, type MouseEvent } from 'react';
import { api } from '../api.ts';
import type { Activity, Reply } from '../types.ts';
import { Icon } from './Icons.tsx';
import { MessageBox } from './MessageBox.tsx';

const MAX = 280; // the backend's limit for a reply, as for a crud

/**
 * The reply popup: a modal <dialog>, so the browser keeps focus inside it, closes it on
 * Escape, and gives focus back to the Reply button afterwards.
 */
export function ReplyDialog({ activity, onClose, onReplied }: { activity: Activity; onClose: () => void; onReplied: (updated: Activity) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    // showModal() focuses the first control (Close): start in the box instead.
    d?.querySelector('textarea')?.focus();
    return () => d?.close();
  }, []);
  // StrictMode (the dev server compose runs) runs the effect's cleanup once at mount: close(),
  // then showModal() again. Its close event arrives after the dialog is open again, and is not
  // the user's: only a dialog that is closed when the event comes has been closed.
  const closed = () => {
    if (!dialog.current?.open) onClose();
  };
  // A click on the backdrop (outside the popup's box) closes it, as a popup's backdrop does
  // elsewhere. Its target is the dialog itself; so is a click on its padding, inside the box.
  const backdrop = (e: MouseEvent<HTMLDialogElement>) => {
    if (e.target !== e.currentTarget) return;
    const box = e.currentTarget.getBoundingClientRect();
    if (e.clientX < box.left || e.clientX > box.right || e.clientY < box.top || e.clientY > box.bottom) onClose();
  };
  const send = async (message: string) => {
    const reply = await api<Reply>(`/api/activities/${activity.uuid}/reply`, { method: 'POST', body: JSON.stringify({ message }) });
    const replies = activity.replies ?? [];
    onReplied({ ...activity, replies: [...replies, reply], replies_count: (activity.replies_count ?? replies.length) + 1 });
    onClose();
  };
  return (
    <dialog ref={dialog} className="popup" aria-labelledby="reply-heading" onClose={closed} onClick={backdrop}>
      <header>
        <h2 id="reply-heading">Reply to {activity.display_name ?? activity.handle}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}><Icon name="close" /></button>
      </header>
      <blockquote className="message">{activity.message}</blockquote>
      <MessageBox label="Your reply" placeholder="What is your reply?" max={MAX} submitLabel="Reply" send={send} />
    </dialog>
  );
}
