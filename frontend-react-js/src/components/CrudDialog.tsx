import { useNavigate } from 'react-router';
import { ActivityForm } from './ActivityForm.tsx';
import { Icon } from './Icons.tsx';
import { usePopup } from './usePopup.ts';

/**
 * The nav's Crud: the crud form as a popup, from any page, as the course's nav opens it. The
 * crud posted shows at the top of the home feed, which it then opens (HomeFeedPage reads it
 * from the navigation's state).
 */
export function CrudDialog({ onClose }: { onClose: () => void }) {
  const popup = usePopup(onClose);
  const navigate = useNavigate();
  return (
    <dialog ref={popup.ref} className="popup" aria-labelledby="crud-heading" onClose={popup.onClose} onClick={popup.onClick}>
      <header>
        <h2 id="crud-heading">Crud</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}><Icon name="close" /></button>
      </header>
      <ActivityForm
        onPosted={(posted) => {
          onClose();
          navigate('/', { state: { posted } });
        }}
      />
    </dialog>
  );
}
