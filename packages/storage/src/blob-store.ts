/**
 * The `BlobStore` port: the only way squash reads and writes index files. Adapters exist for the
 * local filesystem, process memory and S3; all three pass one conformance suite
 * (`test/blob-store-suite.ts`), so code written against this interface behaves the same on a
 * laptop and in Lambda.
 *
 * Keys are `/`-separated relative paths such as `indexes/mnist/v1/manifest.json`. A key has no
 * leading or trailing `/`, no empty, `.` or `..` segments, no backslashes and no control
 * characters, and is at most 1024 UTF-8 bytes; anything else is rejected with
 * `InvalidBlobKeyError` (code `INVALID_ARGUMENT`) before any I/O. See `blob-key.ts`.
 *
 * Portability rule: never store one key that is a directory prefix of another (`a` and `a/b`).
 * S3 and the memory store accept it, the filesystem store cannot represent it and fails with
 * `STORAGE_ERROR`.
 *
 * Errors: an expected absence is a return value (`get` and `head` return `undefined`, `delete` of
 * a missing key succeeds). `getRange` of a missing key throws `BlobNotFoundError`
 * (`BLOB_NOT_FOUND`) because a ranged read always follows a manifest that said the object
 * exists. Every other I/O failure is a `StorageError` (`STORAGE_ERROR`) carrying the key, the
 * operation and the underlying error as `cause`.
 */
export interface BlobStore {
  /**
   * Reads a whole object.
   *
   * @returns a fresh copy of the bytes the caller may mutate, or `undefined` when no object has
   * this key.
   */
  get(key: string): Promise<Uint8Array | undefined>;

  /**
   * Reads `length` bytes starting at byte `offset`: one HTTP range request on S3, one positioned
   * read on the filesystem. This is how search reads a single partition out of a large segment
   * file without downloading the rest.
   *
   * The range is clamped to the object, like an HTTP byte range: a range crossing the end returns
   * the bytes up to the end, and an `offset` at or past the end returns an empty array. Callers
   * that need exactly `length` bytes compare `result.byteLength` with what they asked for.
   * Clamping, rather than throwing, keeps the three adapters identical without an extra HEAD
   * request on S3.
   *
   * Suffix ranges (`bytes=-N`, "the last N bytes") are deliberately not offered: s3rver answers
   * them wrongly, and index files carry their own offsets, so readers always know the absolute
   * offset they need.
   *
   * @param offset - first byte, a non-negative safe integer.
   * @param length - number of bytes, a non-negative safe integer; `0` returns an empty array
   *   after checking that the object exists.
   * @throws BlobNotFoundError when no object has this key.
   */
  getRange(key: string, offset: number, length: number): Promise<Uint8Array>;

  /**
   * Writes a whole object, replacing any object with the same key. The write is atomic for
   * readers: a concurrent `get` sees the previous object or the new one, never a mix or a
   * partial object. The bytes are copied (or fully sent) before the promise resolves, so the
   * caller may reuse the buffer afterwards.
   *
   * With `ifNoneMatch: '*'` or `ifMatch: etag` the write is conditional (S3's `If-None-Match` /
   * `If-Match`): it happens only when no object has the key, or when the stored object's tag is
   * `etag`, atomically with respect to other conditional writers; otherwise it throws
   * `PreconditionFailedError` (`PRECONDITION_FAILED`) and writes nothing. This is how concurrent
   * writers are ordered without a lock server.
   *
   * @returns the new object's tag (`BlobHead.etag`).
   */
  put(key: string, bytes: Uint8Array, options?: PutOptions): Promise<PutResult>;

  /**
   * Writes an object from a stream of chunks without holding it all in memory: a multipart
   * upload on S3 (one part per `partSizeBytes`, several in flight), a temp file renamed into
   * place on the filesystem. The object becomes visible only when the whole stream has been
   * written; if the source throws or the write fails, no new object is visible and any previous
   * object under the key is left untouched.
   *
   * An error thrown by `chunks` is rethrown unchanged; storage failures become `StorageError`.
   */
  putStream(key: string, chunks: AsyncIterable<Uint8Array>, options?: PutStreamOptions): Promise<void>;

  /** Size and version tag of an object, or `undefined` if absent. */
  head(key: string): Promise<BlobHead | undefined>;

  /**
   * Lists every object whose key starts with `prefix` (a plain string prefix, as in S3: `a/b`
   * matches `a/b/c` and `a/bc`; pass `a/b/` for "the folder a/b"). Keys come in ascending
   * UTF-8 byte order, which is S3's order; for ASCII keys that is ordinary string order.
   *
   * Results are fetched page by page (1000 keys per request on S3), so listing a large prefix
   * does not hold every key in memory on S3. The filesystem and memory adapters sort a snapshot
   * taken when iteration starts.
   */
  list(prefix: string): AsyncIterable<BlobListing>;

  /** Deletes an object. Deleting a key that does not exist succeeds (idempotent). */
  delete(key: string): Promise<void>;

  /**
   * Deletes every object whose key starts with `prefix` (same prefix rule as `list`) and returns
   * how many it deleted. Not atomic: a failure part-way leaves some objects deleted. On S3 this
   * uses batched DeleteObjects (1000 keys per request).
   */
  deletePrefix(prefix: string): Promise<number>;
}

/** Options of `BlobStore.put`. */
export interface PutOptions {
  /**
   * MIME type stored with the object on S3; ignored by the filesystem and memory adapters.
   * @default 'application/octet-stream' (the S3 default)
   */
  readonly contentType?: string;
  /** `'*'`: create only; fail with `PRECONDITION_FAILED` when an object has the key. */
  readonly ifNoneMatch?: '*';
  /** Replace only the object whose tag is this (compare-and-swap); fail otherwise. */
  readonly ifMatch?: string;
}

/** What a successful `put` returns. */
export interface PutResult {
  /** The written object's version tag, for a later `ifMatch`. */
  readonly etag: string;
}

/** Options of `BlobStore.putStream` (never conditional). */
export interface PutStreamOptions extends Pick<PutOptions, 'contentType'> {
  /**
   * Size of each multipart part on S3. Larger parts mean fewer requests and more memory
   * (`partSizeBytes x` the 4 parts in flight). S3 requires at least 5 MiB per part (except the
   * last) and at most 10 000 parts, so 5 MiB parts cap an object at about 48 GiB. Ignored by the
   * filesystem and memory adapters, which still validate it so a bad value fails everywhere.
   * @default 8 MiB (`DEFAULT_PART_SIZE_BYTES`)
   */
  readonly partSizeBytes?: number;
}

/** What `BlobStore.head` knows about an object without reading it. */
export interface BlobHead {
  readonly sizeBytes: number;
  /**
   * Opaque version tag: S3's ETag without the quotes; on the filesystem the file's identity
   * (inode, size, modification time); in memory a write counter. It changes whenever the object is
   * overwritten (on S3, when the bytes change), which is what `ifMatch` compares.
   */
  readonly etag: string;
}

/** One entry of `BlobStore.list`. */
export interface BlobListing {
  readonly key: string;
  readonly sizeBytes: number;
}

/** S3's minimum multipart part size (all parts but the last): 5 MiB. */
export const MIN_PART_SIZE_BYTES = 5 * 1024 * 1024;

/** Default `partSizeBytes` of `putStream`: 8 MiB, the AWS CLI's default chunk size. */
export const DEFAULT_PART_SIZE_BYTES = 8 * 1024 * 1024;
