import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { InvalidArgumentError } from '@squash/errors';
import { hasGzipExtension } from './input-source.ts';

/** Bytes per chunk the writers hand to the stream: large enough to amortise, small enough to bound memory. */
export const WRITE_CHUNK_BYTES = 1 << 20;

/**
 * Writes chunks to `file`, gzip-compressing when the name ends in `.gz` (the mirror of the
 * readers' transparent gunzip). Backpressure is respected, so a lazy generator of chunks writes
 * an arbitrarily large file in bounded memory.
 */
export async function writeOutput(
  file: string,
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
): Promise<void> {
  const source = Readable.from(chunks, { objectMode: true });
  const sink = createWriteStream(file);
  if (hasGzipExtension(file)) await pipeline(source, createGzip(), sink);
  else await pipeline(source, sink);
}

/** Rows in a flat array of `length` values with `dim` per row; throws when they do not divide. */
export function rowCount(length: number, dim: number): number {
  if (!Number.isSafeInteger(dim) || dim < 1) {
    throw new InvalidArgumentError('dim', `dim is ${dim}; expected a positive integer`);
  }
  if (length % dim !== 0) {
    throw new InvalidArgumentError('data', `data has ${length} values, not a multiple of dim ${dim}`);
  }
  return length / dim;
}

/** Rows per write chunk for rows of `rowBytes` bytes (at least one). */
export function rowsPerChunk(rowBytes: number): number {
  return Math.max(1, Math.floor(WRITE_CHUNK_BYTES / rowBytes));
}
