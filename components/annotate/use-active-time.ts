"use client";

import { useEffect, useRef } from "react";

/** Seconds without input after which the annotator counts as away. */
const IDLE_AFTER_MS = 30_000;
const TICK_MS = 1_000;

/**
 * Active time: a second counts when the tab is visible and there was input in the last 30 s.
 * `take()` returns the milliseconds gathered since the previous call (sent with each save).
 */
export function useActiveTime() {
  const lastInput = useRef(Date.now());
  const gathered = useRef(0);
  useEffect(() => {
    const touch = () => {
      lastInput.current = Date.now();
    };
    const events = ["pointerdown", "pointermove", "keydown", "wheel"] as const;
    for (const name of events) window.addEventListener(name, touch, { passive: true });
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && Date.now() - lastInput.current < IDLE_AFTER_MS)
        gathered.current += TICK_MS;
    }, TICK_MS);
    return () => {
      for (const name of events) window.removeEventListener(name, touch);
      clearInterval(timer);
    };
  }, []);
  return {
    take(): number {
      const ms = gathered.current;
      gathered.current = 0;
      return ms;
    },
    giveBack(ms: number) {
      gathered.current += ms;
    },
  };
}
