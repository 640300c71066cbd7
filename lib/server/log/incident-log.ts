/**
 * Logs a failure once per incident instead of once per request: the first occurrence of a kind of failure
 * is written with its details, repeats within the quiet period are only counted, and a summary line says
 * how many there were when the next one is written or when `recovered()` is called. An outage that makes
 * every request fail therefore writes a handful of lines, not thousands of stack traces.
 */
type TIncident = { since: number; lastLogged: number; suppressed: number };

const incidents = new Map<string, TIncident>();
/** Within this long after the last written line, repeats of the same incident are only counted. */
const QUIET_MS = 60_000;

export function logIncident(
  key: string,
  message: string,
  error?: unknown,
  now = Date.now(),
  write: (...parts: unknown[]) => void = console.error,
): void {
  const incident = incidents.get(key);
  if (incident && now - incident.lastLogged < QUIET_MS) {
    incident.suppressed++;
    return;
  }
  const repeats = incident?.suppressed
    ? ` (${incident.suppressed} more since ${new Date(incident.lastLogged).toISOString()} not logged)`
    : "";
  // The first line of an incident carries the details; later reminders only the message.
  if (incident) write(`${message}${repeats}`);
  else write(message, ...(error === undefined ? [] : [error]));
  incidents.set(key, { since: incident?.since ?? now, lastLogged: now, suppressed: 0 });
}

/** Ends an incident (the thing works again), with one line saying how long it lasted. */
export function recovered(
  key: string,
  message: string,
  now = Date.now(),
  write: (...parts: unknown[]) => void = console.warn,
): void {
  const incident = incidents.get(key);
  if (!incident) return;
  incidents.delete(key);
  const more = incident.suppressed ? `, ${incident.suppressed} repeated error(s) not logged` : "";
  write(`${message} (after ${((now - incident.since) / 1000).toFixed(0)} s${more})`);
}
