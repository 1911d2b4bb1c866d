import { SquashError, type SquashErrorOptions } from '@squash/errors';

/** Codes of the errors the index format raises (besides `INVALID_ARGUMENT`). */
export type IndexFormatErrorCode = 'INDEX_CORRUPT' | 'INDEX_NOT_FOUND';

/**
 * A stored index object is damaged: its bytes do not match the size or CRC-32C the manifest
 * records (a torn upload, a truncated copy, bit rot), its binary header is malformed, its contents
 * contradict the manifest, or an object the manifest lists is missing. Code `INDEX_CORRUPT`.
 *
 * `key` is the full store key of the offending object (`versions/<version>/...`, `CURRENT`), so an
 * operator can find, inspect or re-publish it.
 */
export class IndexCorruptError extends SquashError<'INDEX_CORRUPT'> {
  readonly key: string;

  constructor(key: string, message: string, options: SquashErrorOptions = {}) {
    super('INDEX_CORRUPT', message, options);
    this.key = key;
  }
}

/**
 * There is no index at the store's root (no `CURRENT`: nothing was ever published there) or no
 * such version (no `versions/<version>/manifest.json`). Code `INDEX_NOT_FOUND`.
 */
export class IndexNotFoundError extends SquashError<'INDEX_NOT_FOUND'> {
  /** The version asked for, or `undefined` when the current version was asked for. */
  readonly version: string | undefined;

  constructor(version: string | undefined, message: string, options: SquashErrorOptions = {}) {
    super('INDEX_NOT_FOUND', message, options);
    this.version = version;
  }
}
