"use client";

import { useEffect, useState } from "react";

const KEY = "phalanx:submitted";
const SHOW_MS = 5000;

/** Called just before the workspace moves on to the next image after a successful submit. */
export function announceSubmitted() {
  sessionStorage.setItem(KEY, "1");
}

/**
 * "Submitted" confirmation on the next image (the submit navigates away, so the message travels in
 * sessionStorage). A polite live region: screen readers announce it without taking focus.
 */
export function SubmittedToast({ progress }: { progress?: { today: number; leftInQueue: number } }) {
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    if (sessionStorage.getItem(KEY) !== "1") return;
    sessionStorage.removeItem(KEY);
    setVisible(true);
    const timer = setTimeout(() => setVisible(false), SHOW_MS);
    return () => clearTimeout(timer);
  }, []);
  return (
    <div className="toast-region" role="status" aria-live="polite">
      {visible && (
        <div className="toast notice" data-testid="submitted-toast">
          Submitted. {progress ? `${progress.today} today · ${progress.leftInQueue} left in queue.` : ""} This is the
          next image.
        </div>
      )}
    </div>
  );
}
