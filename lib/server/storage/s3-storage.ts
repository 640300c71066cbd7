import "server-only";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { assertStorageKey, storageKeyNotFound } from "./keys";
import type { TStorage } from "./storage";

export type TS3StorageOptions = {
  bucket: string;
  /** e.g. http://127.0.0.1:9000 for MinIO/Ceph/s3rver; omitted for AWS itself. */
  endpoint?: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style URLs (`endpoint/bucket/key`), needed by most self-hosted servers. */
  forcePathStyle: boolean;
  /** Prepended to every key, e.g. "phalanx/" to share a bucket. */
  prefix?: string;
};

const CONTENT_TYPES: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  pdf: "application/pdf",
  json: "application/json",
  zip: "application/zip",
};

/**
 * TStorage on any S3-compatible object store. Objects are written without an ACL, so they keep the
 * bucket's default (private): the bucket must not be public; files leave only through the app's
 * authorised routes, never by a bucket URL. PutObject is atomic per object on S3, so a reader sees
 * the old or the new bytes, never a half-written object.
 */
export function s3Storage(options: TS3StorageOptions): TStorage {
  const client = new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    // Checksums only where the API requires them: many self-hosted S3 servers reject or mishandle
    // the CRC32 headers/trailers the SDK sends by default since 3.729. Content-Length still guards
    // against truncation, and TLS against corruption in transit.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const prefix = options.prefix ?? "";
  const objectKey = (key: string) => {
    assertStorageKey(key);
    return prefix + key;
  };
  return {
    async put(key, bytes) {
      const extension = key.slice(key.lastIndexOf(".") + 1).toLowerCase();
      await client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: objectKey(key),
          Body: bytes,
          ContentLength: bytes.length,
          ContentType: CONTENT_TYPES[extension] ?? "application/octet-stream",
        }),
      );
    },
    async get(key) {
      const Key = objectKey(key);
      try {
        const response = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key }));
        if (!response.Body) throw storageKeyNotFound(key);
        return Buffer.from(await response.Body.transformToByteArray());
      } catch (error) {
        if (isNotFound(error)) throw storageKeyNotFound(key, error);
        throw error;
      }
    },
    async putFile(key, filename) {
      const { size } = await stat(filename);
      await client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: objectKey(key),
          Body: createReadStream(filename),
          ContentLength: size,
          ContentType: "application/zip",
        }),
      );
    },
    async getStream(key) {
      const Key = objectKey(key);
      try {
        const response = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key }));
        if (!response.Body) throw storageKeyNotFound(key);
        return response.Body as Readable;
      } catch (error) {
        if (isNotFound(error)) throw storageKeyNotFound(key, error);
        throw error;
      }
    },
    async remove(key) {
      // DeleteObject of a missing key succeeds on S3, like rm --force.
      await client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: objectKey(key) }));
    },
    async *list() {
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: options.bucket, Prefix: prefix || undefined, ContinuationToken }),
        );
        for (const object of page.Contents ?? [])
          yield { key: object.Key!.slice(prefix.length), modifiedAt: object.LastModified ?? new Date(0) };
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },
    async removeRaw(listedKey) {
      await client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: prefix + listedKey }));
    },
  };
}

function isNotFound(error: unknown): boolean {
  if (error instanceof S3ServiceException)
    return error.name === "NoSuchKey" || (error.$metadata.httpStatusCode === 404 && error.name !== "NoSuchBucket");
  return false;
}
