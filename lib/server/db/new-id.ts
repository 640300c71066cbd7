import { randomBytes } from "node:crypto";

let counter = 0;

/**
 * A new row id for statements that insert rows in raw SQL (Prisma fills `@default(cuid())` only for its own
 * inserts): like a cuid, a lowercase letter-first string of 25 characters (time, counter, randomness), so it
 * sorts roughly by creation and never collides across instances.
 */
export function newId(): string {
  counter = (counter + 1) % 1296;
  const time = Date.now().toString(36).padStart(9, "0");
  const count = counter.toString(36).padStart(2, "0");
  const random = BigInt(`0x${randomBytes(9).toString("hex")}`)
    .toString(36)
    .padStart(14, "0")
    .slice(-13);
  return `c${time}${count}${random}`;
}
