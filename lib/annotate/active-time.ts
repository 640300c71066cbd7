/**
 * Active time as plain arithmetic (components/annotate/use-active-time.ts feeds it events and the clock).
 * Time counts from the first input — not from opening the page — and each input keeps the annotator active
 * for IDLE_AFTER_MS after it; `take(now)` closes the count up to now, so a submit right after the last
 * edit includes the seconds before it. Hiding the tab stops the count until the next input.
 */
export const IDLE_AFTER_MS = 30_000;

export type TActiveClock = { gathered: number; lastInput: number | null; countedTo: number };

export const startClock = (): TActiveClock => ({ gathered: 0, lastInput: null, countedTo: 0 });

/** Counts the active stretch since the last input, up to `now` (at most IDLE_AFTER_MS after that input). */
function close(clock: TActiveClock, now: number): TActiveClock {
  if (clock.lastInput === null) return clock;
  const end = Math.min(now, clock.lastInput + IDLE_AFTER_MS);
  return end > clock.countedTo
    ? { ...clock, gathered: clock.gathered + (end - clock.countedTo), countedTo: end }
    : clock;
}

export function input(clock: TActiveClock, now: number): TActiveClock {
  const closed = close(clock, now);
  return { ...closed, lastInput: now, countedTo: Math.max(closed.countedTo, now) };
}

/** The tab was hidden: count up to now, then nothing until the next input. */
export function hidden(clock: TActiveClock, now: number): TActiveClock {
  return { ...close(clock, now), lastInput: null };
}

/** The milliseconds gathered so far (up to now), and the clock with them taken out. */
export function take(clock: TActiveClock, now: number): { ms: number; clock: TActiveClock } {
  const closed = close(clock, now);
  return { ms: Math.round(closed.gathered), clock: { ...closed, gathered: 0 } };
}
