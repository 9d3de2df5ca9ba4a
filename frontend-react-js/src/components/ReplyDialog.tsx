import { api } from '../api.ts';
import type { Activity, Reply } from '../types.ts';
import { Icon } from './Icons.tsx';
import { MessageBox } from './MessageBox.tsx';
import { usePopup } from './usePopup.ts';

const MAX = 280; // the backend's limit for a reply, as for a crud

/** The reply popup (usePopup: a modal <dialog>). */
export function ReplyDialog({ activity, onClose, onReplied }: { activity: Activity; onClose: () => void; onReplied: (updated: Activity) => void }) {
  const popup = usePopup(onClose);
  const send = async (message: string) => {
    const reply = await api<Reply>(`/api/activities/${activity.uuid}/reply`, { method: 'POST', body: JSON.stringify({ message }) });
    const replies = activity.replies ?? [];
    onReplied({ ...activity, replies: [...replies, reply], replies_count: (activity.replies_count ?? replies.length) + 1 });
    onClose();
  };
  return (
    <dialog ref={popup.ref} className="popup" aria-labelledby="reply-heading" onClose={popup.onClose} onClick={popup.onClick}>
      <header>
        <h2 id="reply-heading">Reply to {activity.display_name ?? activity.handle}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}><Icon name="close" /></button>
      </header>
      <blockquote className="message">{activity.message}</blockquote>
      <MessageBox label="Your reply" placeholder="What is your reply?" max={MAX} submitLabel="Reply" send={send} />
    </dialog>
  );
}
