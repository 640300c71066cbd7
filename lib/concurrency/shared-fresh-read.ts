/**
 * Overlapping calls of `read(key)` share it, yet each caller gets a result read after it asked: a call joins
 * the read of its key that is waiting to start, or starts one when none runs. A read in flight is never joined,
 * since it may have started before the call (and missed a write committed just before). A burst of N
 * concurrent callers of one key therefore costs two reads instead of N.
 */
export function sharedFreshRead<K, T>(read: (key: K) => Promise<T>): (key: K) => Promise<T> {
  /** Per key: the read in flight, settled (whatever its outcome) when it is over. */
  const running = new Map<K, Promise<void>>();
  /** Per key: the read that starts when the one in flight is over, shared by every call meanwhile. */
  const waiting = new Map<K, Promise<T>>();
  const start = (key: K) => {
    const result = read(key);
    const over = result.then(
      () => undefined,
      () => undefined,
    );
    running.set(key, over);
    void over.then(() => {
      if (running.get(key) === over) running.delete(key);
    });
    return result;
  };
  return (key) => {
    const inFlight = running.get(key);
    if (!inFlight) return start(key);
    let next = waiting.get(key);
    if (!next) {
      next = inFlight.then(() => {
        waiting.delete(key);
        return start(key);
      });
      waiting.set(key, next);
    }
    return next;
  };
}
