import { describe, expect, it } from "vitest";
import { sharedFreshRead } from "./shared-fresh-read";

/** A read whose calls are recorded and finished by hand. */
function controlledRead() {
  const calls: { key: string; finish: (value: number) => void; fail: (error: Error) => void }[] = [];
  let version = 0;
  const read = (key: string) =>
    new Promise<number>((resolve, reject) => {
      const seen = ++version; // which read this is, in the order they started
      calls.push({ key, finish: () => resolve(seen), fail: reject });
    });
  return { calls, read };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("sharedFreshRead", () => {
  it("serves overlapping callers with two reads, each started after its callers asked", async () => {
    const { calls, read } = controlledRead();
    const shared = sharedFreshRead(read);
    const first = shared("p");
    await tick();
    const later = Array.from({ length: 5 }, () => shared("p"));
    expect(calls).toHaveLength(1); // the later callers do not join the read already in flight
    calls[0].finish(0);
    await tick();
    expect(calls).toHaveLength(2); // one read for all five, started once the first was over
    calls[1].finish(0);
    expect(await first).toBe(1);
    expect(await Promise.all(later)).toEqual([2, 2, 2, 2, 2]);
  });

  it("keeps keys apart, starts afresh once idle, and shares a failure only with the callers of that read", async () => {
    const { calls, read } = controlledRead();
    const shared = sharedFreshRead(read);
    const a = shared("a");
    const b = shared("b");
    expect(calls.map((c) => c.key)).toEqual(["a", "b"]);
    const waitingA = shared("a");
    calls[0].fail(new Error("connection lost"));
    await expect(a).rejects.toThrow("connection lost");
    await tick();
    calls[2].finish(0);
    expect(await waitingA).toBe(3);
    calls[1].finish(0);
    expect(await b).toBe(2);
    const again = shared("a"); // nothing in flight: a new read at once
    expect(calls).toHaveLength(4);
    calls[3].finish(0);
    expect(await again).toBe(4);
  });
});
