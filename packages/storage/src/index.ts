export {
  assertBlobKey,
  assertBlobPrefix,
  compareBlobKeys,
  MAX_KEY_BYTES,
  RESERVED_SEGMENT_PREFIX,
} from './blob-key.ts';
export type {
  BlobHead,
  BlobListing,
  BlobStore,
  PutOptions,
  PutResult,
  PutStreamOptions,
} from './blob-store.ts';
export { DEFAULT_PART_SIZE_BYTES, MIN_PART_SIZE_BYTES } from './blob-store.ts';
export { crc32cHex } from './checksum.ts';
export type { FilesystemBlobStoreOptions } from './filesystem-blob-store.ts';
export { FilesystemBlobStore } from './filesystem-blob-store.ts';
export { MemoryBlobStore } from './memory-blob-store.ts';
export type { OpenBlobStoreOptions, StoreLocation } from './open-blob-store.ts';
export { openBlobStore, parseStoreUri } from './open-blob-store.ts';
export type { S3BlobStoreOptions } from './s3-blob-store.ts';
export { S3BlobStore } from './s3-blob-store.ts';
export type { S3ClientSettings } from './s3-client.ts';
export { createS3Client } from './s3-client.ts';
export type { StorageErrorCode, StorageOperation } from './storage-error.ts';
export {
  BlobNotFoundError,
  InvalidBlobKeyError,
  PreconditionFailedError,
  StorageError,
} from './storage-error.ts';
