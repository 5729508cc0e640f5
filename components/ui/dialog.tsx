"use client";

import { useEffect, useRef, type DialogHTMLAttributes, type MouseEvent, type ReactNode } from "react";

type DialogProps = Omit<DialogHTMLAttributes<HTMLDialogElement>, "open" | "onClose"> & {
  /** Called once the dialog has closed (Escape, a DialogClose, or the browser). The parent unmounts it. */
  onClose: () => void;
  children: ReactNode;
};

/**
 * A modal dialog, open while mounted. The native <dialog> opened with showModal() does the hard
 * parts: the rest of the page is inert (focus cannot leave), Escape closes it, and it sits in the
 * top layer. What the browser does not promise when React removes the element is focus going
 * back where it was, so the opener is remembered and focused again.
 */
export function Dialog({ onClose, className, children, ...props }: DialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const node = dialog.current;
    const opener = document.activeElement;
    if (node && !node.open) node.showModal();
    return () => {
      // Not node.close() here: its close event arrives after a (development) remount and would
      // close the dialog just opened again. Removing the element takes it out of the top layer.
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      className={`m-auto rounded-2xl border border-line bg-surface p-0 text-ink${className ? ` ${className}` : ""}`}
      {...props}
    >
      {children}
    </dialog>
  );
}

/** Closes the dialog it sits in, through the same path as Escape (the dialog's close event). */
export function closeDialog(event: MouseEvent<HTMLElement>) {
  event.currentTarget.closest("dialog")?.close();
}
