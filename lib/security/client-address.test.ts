import { describe, expect, it } from "vitest";
import { parseTrustedProxies, resolveClientAddress } from "./client-address";

const resolve = (socketAddress: string | null, forwardedFor: string | null, setting?: string) =>
  resolveClientAddress({ socketAddress, forwardedFor, trusted: parseTrustedProxies(setting) });

describe("client address", () => {
  it("without trusted proxies, only the socket counts: X-Forwarded-For is ignored", () => {
    expect(resolve("203.0.113.9", null)).toBe("203.0.113.9");
    expect(resolve("203.0.113.9", "1.2.3.4")).toBe("203.0.113.9");
    expect(resolve("203.0.113.9", "5.6.7.8, 1.2.3.4", "0")).toBe("203.0.113.9");
  });

  it("unwraps IPv4 addresses on dual-stack sockets, and has a name for no socket at all", () => {
    expect(resolve("::ffff:127.0.0.1", null)).toBe("127.0.0.1");
    expect(resolve(null, "1.2.3.4")).toBe("unknown");
  });

  it("with a hop count, takes the address the outermost trusted proxy saw, whatever the client prepended", () => {
    // client → proxy (10.0.0.2) → app: the proxy appends the client's address.
    expect(resolve("10.0.0.2", "198.51.100.7", "1")).toBe("198.51.100.7");
    expect(resolve("10.0.0.2", "6.6.6.6, 198.51.100.7", "1")).toBe("198.51.100.7");
    // client → CDN → nginx → app
    expect(resolve("10.0.0.3", "6.6.6.6, 198.51.100.7, 10.0.0.2", "2")).toBe("198.51.100.7");
    // Fewer hops than configured: the leftmost is all there is.
    expect(resolve("10.0.0.2", null, "3")).toBe("10.0.0.2");
  });

  it("with a CIDR list, skips trusted hops from the right", () => {
    const setting = "10.0.0.0/8, 192.168.1.1, fd00::/8";
    expect(resolve("10.1.2.3", "6.6.6.6, 198.51.100.7, 192.168.1.1", setting)).toBe("198.51.100.7");
    expect(resolve("::ffff:10.1.2.3", "198.51.100.7", setting)).toBe("198.51.100.7");
    expect(resolve("fd00::1", "2001:db8::5", setting)).toBe("2001:db8::5");
    // A peer outside the list is the client itself: its X-Forwarded-For is not believed.
    expect(resolve("203.0.113.9", "1.2.3.4", setting)).toBe("203.0.113.9");
  });

  it("rejects settings that are neither a count nor addresses", () => {
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/10\.0\.0\.0\/33/);
    expect(() => parseTrustedProxies("proxy.internal")).toThrow(/not an IP address/);
    expect(() => parseTrustedProxies("-1")).toThrow();
    expect(parseTrustedProxies(" 2 ")).toEqual({ kind: "count", hops: 2 });
  });
});
