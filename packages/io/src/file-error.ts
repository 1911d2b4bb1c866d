import { InvalidInputFileError } from './input-file-error.ts';

/** Error for a malformed binary file, positioned at a byte offset of the (decompressed) data. */
export function errorAtByte(
  file: string,
  byteOffset: number,
  message: string,
  cause?: unknown,
): InvalidInputFileError {
  return new InvalidInputFileError(file, { byteOffset }, message, cause === undefined ? {} : { cause });
}

/** Error for a malformed text file, positioned at a 1-based line number. */
export function errorAtLine(
  file: string,
  line: number,
  message: string,
  cause?: unknown,
): InvalidInputFileError {
  return new InvalidInputFileError(file, { line }, message, cause === undefined ? {} : { cause });
}

/** Error about the file as a whole (unreadable, unknown format). */
export function fileError(file: string, message: string, cause?: unknown): InvalidInputFileError {
  return new InvalidInputFileError(file, undefined, message, cause === undefined ? {} : { cause });
}

/** `1 byte`, `2 bytes`: keeps messages grammatical without ceremony. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
