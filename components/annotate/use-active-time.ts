"use client";

import { useEffect, useRef } from "react";
import { hidden, input, startClock, take } from "@/lib/annotate/active-time";

/**
 * Active time (lib/annotate/active-time.ts): from the first input, each input keeps the annotator active for
 * 30 s; a hidden tab does not count. `take()` returns the milliseconds gathered up to now since the previous
 * call (sent with each save, and with the submit, so the seconds before submitting count too).
 */
export function useActiveTime() {
  const clock = useRef(startClock());
  useEffect(() => {
    const touch = () => {
      if (document.visibilityState === "visible") clock.current = input(clock.current, Date.now());
    };
    const visibility = () => {
      if (document.visibilityState !== "visible") clock.current = hidden(clock.current, Date.now());
    };
    const events = ["pointerdown", "pointermove", "keydown", "wheel"] as const;
    for (const name of events) window.addEventListener(name, touch, { passive: true });
    document.addEventListener("visibilitychange", visibility);
    return () => {
      for (const name of events) window.removeEventListener(name, touch);
      document.removeEventListener("visibilitychange", visibility);
    };
  }, []);
  return {
    take(): number {
      const taken = take(clock.current, Date.now());
      clock.current = taken.clock;
      return taken.ms;
    },
    giveBack(ms: number) {
      clock.current = { ...clock.current, gathered: clock.current.gathered + ms };
    },
  };
}
