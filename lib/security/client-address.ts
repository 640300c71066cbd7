import { BlockList, isIP } from "node:net";

/**
 * Which address a request came from, for throttling and the audit log. Without configuration only the
 * TCP peer counts (set by scripts/server.mjs from the socket; clients cannot choose it). Behind reverse
 * proxies, PHALANX_TRUSTED_PROXIES says which X-Forwarded-For hops to believe:
 * - a count N: the last N hops (the peer included) are our proxies; the client is the one before them;
 * - a list of addresses/CIDRs: hops inside it are proxies, read from the right; the first other one is the client.
 */
export type TTrustedProxies = { kind: "none" } | { kind: "count"; hops: number } | { kind: "list"; ranges: string[] };

/** Parses the setting; throws a message naming the bad part. "" and "0" mean no proxies. */
export function parseTrustedProxies(value: string | undefined): TTrustedProxies {
  const text = value?.trim() ?? "";
  if (text === "" || text === "0") return { kind: "none" };
  if (/^\d+$/.test(text)) return { kind: "count", hops: Number(text) };
  const ranges = text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  for (const range of ranges) {
    const [address, bits, ...rest] = range.split("/");
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits);
    if (!family || !bitsOk || rest.length)
      throw new Error(`"${range}" is not an IP address or CIDR range (e.g. 10.0.0.0/8)`);
  }
  return { kind: "list", ranges };
}

function blockListOf(ranges: string[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) {
    const [address, bits] = range.split("/");
    const type = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

/** IPv4 peers on dual-stack sockets appear as ::ffff:a.b.c.d. */
const normalise = (address: string) => address.trim().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1");

function isInside(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4");
}

export function resolveClientAddress(input: {
  socketAddress: string | null;
  forwardedFor: string | null;
  trusted: TTrustedProxies;
}): string {
  const peer = input.socketAddress ? normalise(input.socketAddress) : "";
  if (!peer) return "unknown";
  if (input.trusted.kind === "none") return peer;
  const forwarded = (input.forwardedFor ?? "").split(",").map(normalise).filter(Boolean);
  const chain = [...forwarded, peer];
  if (input.trusted.kind === "count") return chain[Math.max(0, chain.length - 1 - input.trusted.hops)];
  const list = blockListOf(input.trusted.ranges);
  for (let i = chain.length - 1; i >= 0; i--) if (!isInside(list, chain[i])) return chain[i];
  return chain[0];
}
