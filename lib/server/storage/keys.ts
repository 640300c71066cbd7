/** Storage key rules shared by every TStorage back end. */

const KEY_PATTERN = /^[a-z0-9][a-z0-9/_.-]*$/i;

/** Throws unless the key is a relative path of safe characters with no `..`. */
export function assertStorageKey(key: string): void {
  if (!KEY_PATTERN.test(key) || key.includes("..")) throw new Error(`Invalid storage key: ${key}`);
}

/** The error `get` rejects with when nothing is stored under the key (same shape as Node's fs error). */
export function storageKeyNotFound(key: string, cause?: unknown): Error & { code: "ENOENT" } {
  return Object.assign(new Error(`Nothing stored under ${key}`, { cause }), { code: "ENOENT" as const });
}
