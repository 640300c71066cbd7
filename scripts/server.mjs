#!/usr/bin/env node
/**
 * The production HTTP server (started by scripts/start.mjs): Next's request handler behind a plain
 * Node server, so the app knows the TCP peer of each request. Next gives route handlers no socket
 * address, and its own X-Forwarded-For is whatever the client sent; this sets
 * `x-phalanx-socket-address` from the socket, overwriting any client-sent value
 * (lib/server/auth/client-address.ts reads it, with PHALANX_TRUSTED_PROXIES deciding about proxies).
 */
import { createServer } from "node:http";
import path from "node:path";
import next from "next";
import { installGracefulShutdown, shutdownHooks } from "./graceful-shutdown.mjs";

const root = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.PORT || 3000);
// Before the app loads: instrumentation.ts registers its shutdown hooks (the export worker) here.
shutdownHooks();
const app = next({ dev: false, dir: root, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((request, response) => {
  request.headers["x-phalanx-socket-address"] = request.socket.remoteAddress ?? "";
  handle(request, response);
});
// Idle keep-alive sockets stay open longer than clients and load balancers keep theirs (Node's default is 5 s):
// otherwise a client reusing a socket just as the server closes it gets ECONNRESET.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(port, () => console.log(`started server on port ${port}`));
installGracefulShutdown(server);
