import { type BlobStore, crc32cHex } from '@squash/storage';
import { IndexCorruptError } from './index-format-errors.ts';
import type { ObjectRef } from './manifest.ts';
import { objectKey } from './store-layout.ts';

/** An object's bytes with its full store key. */
export interface ObjectBytes {
  readonly key: string;
  readonly bytes: Uint8Array;
}

/**
 * Reads one object a manifest lists and checks it: present, exactly `ref.bytes` long, and (with
 * `verify`) with the CRC-32C the manifest records. The length check always runs, so a truncated
 * object is caught even without `verify`; the CRC costs one pass over the bytes (hash-wasm
 * runs at several GB/s, far faster than any store delivers them).
 *
 * @throws IndexCorruptError naming the full key when the object is missing, of the wrong size or
 *   fails its checksum.
 */
export async function readObject(
  store: BlobStore,
  version: string,
  ref: ObjectRef,
  verify: boolean,
): Promise<ObjectBytes> {
  const key = objectKey(version, ref.key);
  const bytes = await store.get(key);
  if (bytes === undefined) {
    throw new IndexCorruptError(
      key,
      `object ${key}, listed in the manifest of version ${version}, is missing (was the version deleted?)`,
    );
  }
  if (bytes.byteLength !== ref.bytes) {
    throw new IndexCorruptError(
      key,
      `object ${key} is ${bytes.byteLength} bytes; the manifest records ${ref.bytes} (truncated or overwritten)`,
    );
  }
  if (verify) {
    const crc32c = await crc32cHex(bytes);
    if (crc32c !== ref.crc32c) {
      throw new IndexCorruptError(
        key,
        `object ${key} has CRC-32C ${crc32c}; the manifest records ${ref.crc32c} (the object is damaged)`,
      );
    }
  }
  return { key, bytes };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function jsonBytes(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** Parses a JSON object; throws `IndexCorruptError` naming `key` if it is not valid JSON. */
export function parseJsonObject(bytes: Uint8Array, key: string): unknown {
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw new IndexCorruptError(key, `object ${key} is not valid UTF-8 JSON`, { cause: error });
  }
}
