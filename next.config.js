// @ts-check

// Pages get their Content-Security-Policy (per-request nonce) and HSTS from proxy.ts (lib/security/headers.ts).
const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // TensorFlow.js (the QC's hand-landmark network, lib/server/qc/network-model.ts) loads its .wasm from node_modules.
  serverExternalPackages: [
    "better-sqlite3",
    "sharp",
    "@node-rs/argon2",
    "pg",
    "@tensorflow/tfjs",
    "@tensorflow/tfjs-backend-wasm",
    // lib/server/export/zip-writer.ts gives yazl's CRC-32 module zlib's native CRC: one shared CommonJS instance.
    "buffer-crc32",
  ],
  experimental: { authInterrupts: true },
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      // API answers (JSON, image bytes) are never documents: nothing in them may run, even opened directly.
      {
        source: "/api/:path*",
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'; sandbox" }],
      },
    ];
  },
};

module.exports = nextConfig;
