import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, gunzip } from 'node:zlib';
import { errorAtByte, fileError } from './file-error.ts';

const gunzipAsync = promisify(gunzip);

/** The two bytes every gzip member starts with (RFC 1952). */
export function hasGzipMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** True when the path names a gzip file by extension (`x.fvecs.gz`). */
export function hasGzipExtension(path: string): boolean {
  return path.toLowerCase().endsWith('.gz');
}

/** The path without a trailing `.gz`, lower-cased: what format detection looks at. */
export function formatName(path: string): string {
  const lower = path.toLowerCase();
  return hasGzipExtension(lower) ? lower.slice(0, -3) : lower;
}

/**
 * Reads a whole file, gunzipping it when it starts with the gzip magic. A `.gz` name without the
 * magic is rejected rather than parsed as raw bytes, since that nearly always means a mislabelled
 * or corrupted download.
 */
export async function readInputBytes(file: string): Promise<Uint8Array> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (error) {
    throw unreadable(file, error);
  }
  if (!hasGzipMagic(raw)) {
    if (hasGzipExtension(file)) throw notGzip(file, raw.length);
    return raw;
  }
  try {
    return await gunzipAsync(raw);
  } catch (error) {
    throw gzipError(file, raw.length, error);
  }
}

/**
 * Reads a file as a sequence of (decompressed) chunks. Memory stays bounded by the stream's
 * high-water mark (64 KiB). Read and inflate errors surface as `InvalidInputFileError`; stopping
 * the iteration early closes the file.
 */
export async function* readInputChunks(file: string): AsyncGenerator<Uint8Array, void, undefined> {
  const { head, sizeBytes } = await probe(file);
  const raw = createReadStream(file, { highWaterMark: 1 << 16 });
  const gzipped = hasGzipMagic(head);
  if (!gzipped && hasGzipExtension(file)) {
    raw.destroy();
    throw notGzip(file, sizeBytes);
  }
  const stream: Readable = gzipped ? raw.pipe(createGunzip()) : raw;
  // `pipe` does not forward source errors; forward them so the iterator below rejects.
  if (gzipped) raw.on('error', (error) => stream.destroy(error));
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    throw gzipped ? gzipError(file, sizeBytes, error) : unreadable(file, error);
  } finally {
    stream.destroy();
    raw.destroy();
  }
}

async function probe(file: string): Promise<{ head: Uint8Array; sizeBytes: number }> {
  try {
    const handle = await open(file, 'r');
    try {
      const sizeBytes = (await handle.stat()).size;
      const head = new Uint8Array(2);
      const { bytesRead } = await handle.read(head, 0, 2, 0);
      return { head: head.subarray(0, bytesRead), sizeBytes };
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw unreadable(file, error);
  }
}

export function unreadable(file: string, error: unknown): Error {
  const code = (error as { code?: unknown }).code;
  if (code === 'ERR_FS_FILE_TOO_LARGE') return tooLargeForWholeRead(file, error);
  const reason = typeof code === 'string' ? code : String(error);
  return fileError(file, `cannot be read (${reason}); expected a readable file`, error);
}

function notGzip(file: string, sizeBytes: number): Error {
  return sizeBytes === 0
    ? errorAtByte(file, 0, 'file is empty; expected gzip data (name ends in .gz)')
    : errorAtByte(file, 0, 'name ends in .gz but the data does not start with the gzip magic bytes 1f 8b');
}

/**
 * A truncated gzip stream fails with zlib's "unexpected end of file" (Z_BUF_ERROR): the problem is
 * then at the end of the compressed file, so that is the offset reported. Other zlib errors (bad
 * CRC, invalid block) carry no offset.
 */
export function gzipError(file: string, compressedBytes: number, error: unknown): Error {
  const code = (error as { code?: unknown }).code;
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_BUFFER_TOO_LARGE') return tooLargeForWholeRead(file, error);
  if (code === 'Z_BUF_ERROR') {
    return errorAtByte(
      file,
      compressedBytes,
      `gzip data ends early (${detail}) at the end of the compressed file; expected a complete gzip stream`,
      error,
    );
  }
  return fileError(file, `gzip data is corrupt (${detail}); expected a valid gzip stream`, error);
}

/** Whole-file reads hold the file in one Buffer (at most buffer.constants.MAX_LENGTH bytes). */
function tooLargeForWholeRead(file: string, error: unknown): Error {
  return fileError(
    file,
    'is too large to read into one buffer; expected a file under the Node.js buffer limit, ' +
      'or use the streaming reader (streamVectors / stream*) instead',
    error,
  );
}
