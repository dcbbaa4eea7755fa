import { useEffect, useRef, useState } from "react";

interface ConfirmActionProps {
  /** The first button ("Decline", "Delete"). */
  label: string;
  /** The question asked before doing it ("Decline this request?"). */
  question: string;
  /** The button that does it ("Yes, decline"). */
  confirm: string;
  cancel: string;
  onConfirm: () => void;
  disabled?: boolean;
}

/**
 * An action that cannot be undone, asked about in place first (no browser dialog: it reads in the
 * page's language and direction, and screen readers hear the question as it appears). Focus moves
 * to the question's "no" button, so a stray second Enter does nothing harmful.
 */
export function ConfirmAction({ label, question, confirm, cancel, onConfirm, disabled }: ConfirmActionProps) {
  const [asking, setAsking] = useState(false);
  const keepRef = useRef<HTMLButtonElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) keepRef.current?.focus();
    else if (wasAsking.current) openRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking)
    return (
      <button ref={openRef} type="button" className="btn" onClick={() => setAsking(true)} disabled={disabled}>
        {label}
      </button>
    );
  return (
    <div className="confirm" role="group" aria-label={question}>
      <p role="alert" className="confirm-q">
        {question}
      </p>
      <div className="row wrap">
        <button
          type="button"
          className="btn btn-danger"
          disabled={disabled}
          onClick={() => {
            setAsking(false);
            onConfirm();
          }}
        >
          {confirm}
        </button>
        <button ref={keepRef} type="button" className="btn btn-ghost" onClick={() => setAsking(false)}>
          {cancel}
        </button>
      </div>
    </div>
  );
}
