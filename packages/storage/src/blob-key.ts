import { InvalidBlobKeyError } from './storage-error.ts';

/**
 * Key rules shared by every adapter. Keys are `/`-separated relative paths; they are validated
 * once, at the `BlobStore` boundary, so a key that works on one adapter works on all of them and
 * can never escape the filesystem adapter's root directory.
 */

/** S3's key limit; also keeps filesystem paths well under PATH_MAX. */
export const MAX_KEY_BYTES = 1024;

/**
 * Segment prefix reserved for the filesystem adapter's temporary files. Keys may not use it, so
 * `list` can skip temp files without ever hiding a real object.
 */
export const RESERVED_SEGMENT_PREFIX = '.squash-tmp-';

// C0 controls and DEL: they cannot round-trip through S3's XML listings.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

const utf8 = new TextEncoder();

/**
 * Throws `InvalidBlobKeyError` unless `key` is a valid blob key: non-empty, at most 1024 UTF-8
 * bytes, no leading or trailing `/`, no empty, `.` or `..` segment, no backslash, no control
 * character, no segment starting with `.squash-tmp-`.
 */
export function assertBlobKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw new InvalidBlobKeyError('key', String(key), 'blob key must be a non-empty string');
  }
  checkCharacters('key', key);
  for (const segment of key.split('/')) checkSegment('key', key, segment);
}

/** Whether `key` passes `assertBlobKey`; used to skip foreign names when listing. */
export function isBlobKey(key: string): boolean {
  try {
    assertBlobKey(key);
    return true;
  } catch {
    return false;
  }
}

/**
 * Throws `InvalidBlobKeyError` unless `prefix` is a valid listing prefix: `''` (everything), or a
 * string that could start a valid key. Complete segments (those followed by `/`) follow the key
 * rules; the trailing partial segment only has to avoid forbidden characters, so `a/b` and
 * `a/b/` are both fine.
 */
export function assertBlobPrefix(prefix: string): void {
  if (typeof prefix !== 'string') {
    throw new InvalidBlobKeyError('prefix', String(prefix), 'blob prefix must be a string');
  }
  if (prefix === '') return;
  checkCharacters('prefix', prefix);
  const segments = prefix.split('/');
  segments.pop();
  for (const segment of segments) checkSegment('prefix', prefix, segment);
}

/**
 * Orders keys by UTF-8 bytes (S3's listing order), without encoding them. UTF-16 code-unit
 * order agrees with code-point order (hence UTF-8 order) except between surrogates
 * (U+D800..U+DFFF) and units at or above U+E000; shifting those two ranges fixes it.
 */
export function compareBlobKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

function checkCharacters(argument: 'key' | 'prefix', value: string): void {
  if (value.startsWith('/')) {
    throw new InvalidBlobKeyError(
      argument,
      value,
      `blob ${argument} "${value}" starts with "/"; keys are relative`,
    );
  }
  if (value.includes('\\')) {
    throw new InvalidBlobKeyError(
      argument,
      value,
      `blob ${argument} "${value}" contains a backslash; use "/" to separate segments`,
    );
  }
  if (CONTROL_CHARACTERS.test(value)) {
    throw new InvalidBlobKeyError(
      argument,
      value,
      `blob ${argument} ${JSON.stringify(value)} contains a control character`,
    );
  }
  const bytes = utf8.encode(value).byteLength;
  if (bytes > MAX_KEY_BYTES) {
    throw new InvalidBlobKeyError(
      argument,
      value,
      `blob ${argument} is ${bytes} UTF-8 bytes long; at most ${MAX_KEY_BYTES} are allowed`,
    );
  }
}

function checkSegment(argument: 'key' | 'prefix', value: string, segment: string): void {
  if (segment === '') {
    throw new InvalidBlobKeyError(
      argument,
      value,
      `blob ${argument} "${value}" has an empty segment (a doubled or trailing "/")`,
    );
  }
  if (segment === '.' || segment === '..') {
    throw new InvalidBlobKeyError(argument, value, `blob ${argument} "${value}" has a "${segment}" segment`);
  }
  if (segment.startsWith(RESERVED_SEGMENT_PREFIX)) {
    throw new InvalidBlobKeyError(
      argument,
      value,
      `blob ${argument} "${value}" has a segment starting with "${RESERVED_SEGMENT_PREFIX}", which is reserved for temporary files`,
    );
  }
}
