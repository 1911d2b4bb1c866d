import { fileURLToPath } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import { InvalidArgumentError } from '@squash/errors';
import { assertBlobKey } from './blob-key.ts';
import type { BlobStore } from './blob-store.ts';
import { FilesystemBlobStore } from './filesystem-blob-store.ts';
import { MemoryBlobStore } from './memory-blob-store.ts';
import { S3BlobStore } from './s3-blob-store.ts';
import { createS3Client, type S3ClientSettings } from './s3-client.ts';

/** Where a store URI points, before anything is opened. */
export type StoreLocation =
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string }
  | { readonly kind: 'filesystem'; readonly rootDir: string }
  | { readonly kind: 'memory'; readonly name: string };

/** Options of `openBlobStore`. */
export interface OpenBlobStoreOptions {
  /**
   * S3 client for `s3://` URIs, shared across stores.
   * @default `createS3Client(s3)`, one per call
   */
  readonly s3Client?: S3Client;
  /** Settings for the client created when `s3Client` is not given. @default the standard AWS chain */
  readonly s3?: S3ClientSettings;
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Named memory stores, so `memory://x` opened twice in one process is the same store. */
const memoryStores = new Map<string, MemoryBlobStore>();

/**
 * Parses a store URI without opening it:
 * - `s3://bucket` or `s3://bucket/some/prefix` -> S3 (the prefix follows the key rules);
 * - `file:///abs/dir`, `/abs/dir` or `relative/dir` -> filesystem (relative to the cwd);
 * - `memory://name` -> a named in-process memory store.
 * Anything else throws `InvalidArgumentError` naming the accepted forms.
 */
export function parseStoreUri(uri: string): StoreLocation {
  if (typeof uri !== 'string' || uri.trim() === '') {
    throw new InvalidArgumentError(
      'uri',
      'store URI is empty; expected s3://bucket/prefix, a directory or memory://name',
    );
  }
  const scheme = SCHEME.exec(uri)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'filesystem', rootDir: uri };
  const rest = uri.slice(scheme.length + 3);
  switch (scheme) {
    case 's3':
      return parseS3Location(uri, rest);
    case 'file':
      return { kind: 'filesystem', rootDir: fileURLToPath(uri) };
    case 'memory':
      if (rest === '' || rest.includes('/')) {
        throw new InvalidArgumentError(
          'uri',
          `memory store URI "${uri}" needs a name without "/": memory://name`,
        );
      }
      return { kind: 'memory', name: rest };
    default:
      throw new InvalidArgumentError(
        'uri',
        `store URI "${uri}" has unsupported scheme "${scheme}:"; use s3://, file://, memory:// or a plain path`,
      );
  }
}

/**
 * Opens the `BlobStore` a URI names (see `parseStoreUri`). Opening does no I/O: a missing bucket
 * or directory shows up on first use. Memory stores with the same name are shared for the life
 * of the process, so a writer and a reader in one test see the same objects.
 */
export function openBlobStore(uri: string, options: OpenBlobStoreOptions = {}): BlobStore {
  const location = parseStoreUri(uri);
  switch (location.kind) {
    case 's3':
      return new S3BlobStore({
        bucket: location.bucket,
        prefix: location.prefix,
        client: options.s3Client ?? createS3Client(options.s3),
      });
    case 'filesystem':
      return new FilesystemBlobStore({ rootDir: location.rootDir });
    case 'memory': {
      const existing = memoryStores.get(location.name);
      if (existing !== undefined) return existing;
      const created = new MemoryBlobStore();
      memoryStores.set(location.name, created);
      return created;
    }
  }
}

function parseS3Location(uri: string, rest: string): StoreLocation {
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const prefix = slash === -1 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
  if (!BUCKET_NAME.test(bucket)) {
    throw new InvalidArgumentError(
      'uri',
      `store URI "${uri}" has bucket name "${bucket}"; S3 bucket names are 3-63 lowercase letters, digits, "." and "-"`,
    );
  }
  if (prefix !== '') {
    try {
      assertBlobKey(prefix);
    } catch (error) {
      throw new InvalidArgumentError(
        'uri',
        `store URI "${uri}" has an invalid prefix: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }
  return { kind: 's3', bucket, prefix };
}
