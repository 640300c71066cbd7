/**
 * A real S3-compatible server for tests and benchmarks: s3rver on 127.0.0.1, a free port picked by
 * the OS, data in a fresh temp folder, one bucket created. `stop()` closes it (dropping keep-alive
 * sockets so close never hangs) and deletes the folder.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import type { Server } from "node:http";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";

type TS3rverInstance = {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
};
type TS3rverConstructor = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  resetOnClose?: boolean;
  configureBuckets?: { name: string; configs: (string | Buffer)[] }[];
}) => TS3rverInstance;

// s3rver ships no type declarations; load it through require with the small surface used here.
const S3rver = createRequire(import.meta.url)("s3rver") as TS3rverConstructor;

export type TS3TestServer = {
  endpoint: string;
  region: string;
  bucket: string;
  /** s3rver's fixed account; it checks request signatures against it. */
  accessKeyId: string;
  secretAccessKey: string;
  directory: string;
  /** Every key in the bucket (optionally under a prefix), sorted. */
  listKeys(prefix?: string): Promise<string[]>;
  stop(): Promise<void>;
};

export async function startS3Server(options: { bucket?: string } = {}): Promise<TS3TestServer> {
  const bucket = options.bucket ?? "phalanx-test";
  const directory = mkdtempSync(path.join(os.tmpdir(), "phalanx-s3rver-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
  const client = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials });
  let stopped = false;
  return {
    endpoint,
    region: "us-east-1",
    bucket,
    ...credentials,
    directory,
    async listKeys(prefix) {
      const keys: string[] = [];
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken }));
        keys.push(...(page.Contents ?? []).map((object) => object.Key!));
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
      return keys.sort();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      client.destroy();
      const closing = server.close();
      server.httpServer?.closeAllConnections();
      await closing;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
