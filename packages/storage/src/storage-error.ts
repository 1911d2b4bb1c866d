import { InvalidArgumentError, SquashError, type SquashErrorOptions } from '@squash/errors';

/** Codes of the errors the blob stores raise. */
export type StorageErrorCode =
  | 'STORAGE_ERROR'
  | 'BLOB_NOT_FOUND'
  | 'PRECONDITION_FAILED'
  | 'INVALID_ARGUMENT';

/** The `BlobStore` method (or store-opening step) that failed; carried by storage errors. */
export type StorageOperation =
  | 'get'
  | 'getRange'
  | 'put'
  | 'putStream'
  | 'head'
  | 'list'
  | 'delete'
  | 'deletePrefix'
  | 'open';

/**
 * A blob store operation failed for a reason other than a bad argument: permissions, network,
 * a missing bucket, a full disk, a key the filesystem cannot represent. Code `STORAGE_ERROR`;
 * the back end's own error is kept as `cause`.
 */
export class StorageError extends SquashError<'STORAGE_ERROR'> {
  readonly operation: StorageOperation;
  /** The key (or prefix, for `list` / `deletePrefix`) the operation was about, if any. */
  readonly key: string | undefined;

  constructor(
    operation: StorageOperation,
    key: string | undefined,
    message: string,
    options: SquashErrorOptions = {},
  ) {
    super('STORAGE_ERROR', message, options);
    this.operation = operation;
    this.key = key;
  }
}

/**
 * A read that requires the object found none (`getRange`). Code `BLOB_NOT_FOUND`. `get` and
 * `head` report absence as `undefined` instead, because there absence is an expected answer.
 *
 * Not a subclass of `StorageError`: handlers that turn storage failures into 500s must not
 * swallow a missing object, which usually means a missing or half-deleted index.
 */
export class BlobNotFoundError extends SquashError<'BLOB_NOT_FOUND'> {
  readonly operation: StorageOperation;
  readonly key: string;

  constructor(operation: StorageOperation, key: string, message: string, options: SquashErrorOptions = {}) {
    super('BLOB_NOT_FOUND', message, options);
    this.operation = operation;
    this.key = key;
  }
}

/**
 * A conditional `put` lost: `ifNoneMatch: '*'` found an object under the key, or `ifMatch` found
 * a different tag (or no object). Code `PRECONDITION_FAILED`; nothing was written. Writers that
 * race for a key (the next log sequence number, say) catch it and move on.
 */
export class PreconditionFailedError extends SquashError<'PRECONDITION_FAILED'> {
  readonly key: string;
  readonly condition: 'ifNoneMatch' | 'ifMatch';

  constructor(
    key: string,
    condition: 'ifNoneMatch' | 'ifMatch',
    message: string,
    options: SquashErrorOptions = {},
  ) {
    super('PRECONDITION_FAILED', message, options);
    this.key = key;
    this.condition = condition;
  }
}

/** A key or prefix breaks the key rules of `blob-key.ts`. Code `INVALID_ARGUMENT`. */
export class InvalidBlobKeyError extends InvalidArgumentError {
  /** The rejected key exactly as received. */
  readonly key: string;

  constructor(argument: 'key' | 'prefix', key: string, message: string) {
    super(argument, message);
    this.key = key;
  }
}

/** Message text of an unknown thrown value, for wrapping it in a `StorageError`. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code)
      ? `${code}: ${cause.message}`
      : cause.message;
  }
  return String(cause);
}
