import { env } from "@/lib/env";
import { resolveClientAddress } from "@/lib/security/client-address";

/** The header scripts/server.mjs sets from the TCP socket, replacing any value a client sent. */
export const SOCKET_ADDRESS_HEADER = "x-phalanx-socket-address";

/** The client's address for throttling: the socket's peer, or per PHALANX_TRUSTED_PROXIES the client behind our proxies. */
export function clientAddress(headers: Headers): string {
  return resolveClientAddress({
    socketAddress: headers.get(SOCKET_ADDRESS_HEADER),
    forwardedFor: headers.get("x-forwarded-for"),
    trusted: env().PHALANX_TRUSTED_PROXIES,
  });
}
