import { InvalidArgumentError, quote } from '@squash/errors';
import {
  DEFAULT_PART_SIZE_BYTES,
  MIN_PART_SIZE_BYTES,
  type PutOptions,
  type PutStreamOptions,
} from './blob-store.ts';

/**
 * Boundary checks shared by the adapters, so a bad argument fails the same way on every back
 * end before any I/O.
 */

/** Throws `InvalidArgumentError` unless `offset` and `length` are non-negative safe integers. */
export function assertByteRange(offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new InvalidArgumentError(
      'offset',
      `range offset must be a non-negative integer; received ${offset}`,
    );
  }
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new InvalidArgumentError(
      'length',
      `range length must be a non-negative integer; received ${length}`,
    );
  }
}

/** `[start, end)` of the bytes a clamped range read returns from an object of `sizeBytes`. */
export function clampRange(
  sizeBytes: number,
  offset: number,
  length: number,
): { start: number; end: number } {
  const start = Math.min(offset, sizeBytes);
  return { start, end: Math.min(sizeBytes, start + length) };
}

/** The effective part size of `putStream`; throws `InvalidArgumentError` below S3's 5 MiB minimum. */
export function resolvePartSizeBytes(options: PutStreamOptions | undefined): number {
  const partSizeBytes = options?.partSizeBytes ?? DEFAULT_PART_SIZE_BYTES;
  if (!Number.isSafeInteger(partSizeBytes) || partSizeBytes < MIN_PART_SIZE_BYTES) {
    throw new InvalidArgumentError(
      'partSizeBytes',
      `partSizeBytes must be an integer of at least ${MIN_PART_SIZE_BYTES} (5 MiB, the S3 minimum); received ${partSizeBytes}`,
    );
  }
  return partSizeBytes;
}

/** Throws `InvalidArgumentError` unless `bytes` is a `Uint8Array` (Buffers are Uint8Arrays). */
export function assertBytes(bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidArgumentError('bytes', `object body must be a Uint8Array; received ${typeof bytes}`);
  }
}

/** Checks the conditions of a `put`: at most one, `ifNoneMatch` only `'*'`, `ifMatch` a non-empty tag. */
export function assertPutConditions(options: PutOptions | undefined): void {
  if (options === undefined) return;
  const { ifNoneMatch, ifMatch } = options;
  if (ifNoneMatch !== undefined && ifMatch !== undefined) {
    throw new InvalidArgumentError('options', 'put takes ifNoneMatch or ifMatch, not both');
  }
  if (ifNoneMatch !== undefined && ifNoneMatch !== '*') {
    throw new InvalidArgumentError('ifNoneMatch', `ifNoneMatch is ${quote(ifNoneMatch)}; allowed: "*"`);
  }
  if (ifMatch !== undefined && (typeof ifMatch !== 'string' || ifMatch === '')) {
    throw new InvalidArgumentError(
      'ifMatch',
      `ifMatch is ${quote(ifMatch)}; allowed: a non-empty tag from head() or put()`,
    );
  }
}
