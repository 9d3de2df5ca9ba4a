import { useEffect, useRef, type MouseEvent } from 'react';

/**
 * A modal <dialog> (the reply popup, the nav's Crud): the browser keeps focus inside it, closes
 * it on Escape and gives focus back to the button that opened it. Focus starts in its text box;
 * a click on the backdrop (outside the popup's box) closes it, as a popup's backdrop does elsewhere.
 */
export function usePopup(onClose: () => void) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    // showModal() focuses the first control (Close): start in the box instead.
    d?.querySelector('textarea')?.focus();
    return () => d?.close();
  }, []);
  return {
    ref,
    // StrictMode (the dev server compose runs) runs the effect's cleanup once at mount: close(),
    // then showModal() again. Its close event arrives after the dialog is open again, and is not
    // the user's: only a dialog that is closed when the event comes has been closed.
    onClose: () => {
      if (!ref.current?.open) onClose();
    },
    // The backdrop's click has the dialog as its target; so does one on its padding, inside the box.
    onClick: (e: MouseEvent<HTMLDialogElement>) => {
      if (e.target !== e.currentTarget) return;
      const box = e.currentTarget.getBoundingClientRect();
      if (e.clientX < box.left || e.clientX > box.right || e.clientY < box.top || e.clientY > box.bottom) onClose();
    },
  };
}
