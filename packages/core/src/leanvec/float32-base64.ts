import { InvalidArgumentError } from '../errors/index.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Sextet value of each ASCII code, or -1 outside the alphabet. */
const SEXTETS: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/**
 * Float32 values as standard base64 (RFC 4648, `=`-padded) of their little-endian bytes: exact,
 * and 5.3 characters per value where a JSON number list needs about 11. A small pure codec,
 * because `@squash/core` uses no Node built-ins (`Buffer`); the byte order is fixed explicitly so
 * a model written on one machine reads the same on any other.
 */
export function encodeFloat32Base64(values: Float32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const remaining = bytes.length - i;
    const group = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    parts.push(
      ALPHABET[group >>> 18]! +
        ALPHABET[(group >>> 12) & 63]! +
        (remaining > 1 ? ALPHABET[(group >>> 6) & 63]! : '=') +
        (remaining > 2 ? ALPHABET[group & 63]! : '='),
    );
  }
  return parts.join('');
}

/**
 * Inverse of `encodeFloat32Base64`.
 *
 * @throws InvalidArgumentError (argument `argument`) when `text` is not padded base64 of a whole
 *   number of float32 values.
 */
export function decodeFloat32Base64(text: string, argument: string): Float32Array {
  if (typeof text !== 'string' || text.length % 4 !== 0) {
    throw new InvalidArgumentError(
      argument,
      `${argument} is not base64 text (length must be a multiple of 4)`,
    );
  }
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const byteLength = (text.length / 4) * 3 - padding;
  if (byteLength % 4 !== 0) {
    throw new InvalidArgumentError(
      argument,
      `${argument} decodes to ${byteLength} bytes, not a whole number of float32 values`,
    );
  }
  const bytes = new Uint8Array(byteLength);
  let write = 0;
  for (let read = 0; read < text.length; read += 4) {
    const group =
      (sextet(text, read, argument, padding) << 18) |
      (sextet(text, read + 1, argument, padding) << 12) |
      (sextet(text, read + 2, argument, padding) << 6) |
      sextet(text, read + 3, argument, padding);
    bytes[write++] = group >>> 16;
    if (write < byteLength) bytes[write++] = (group >>> 8) & 0xff;
    if (write < byteLength) bytes[write++] = group & 0xff;
  }
  const view = new DataView(bytes.buffer);
  const values = new Float32Array(byteLength / 4);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true);
  return values;
}

function sextet(text: string, index: number, argument: string, padding: number): number {
  if (index >= text.length - padding) return 0;
  const code = text.charCodeAt(index);
  const value = code < 128 ? SEXTETS[code]! : -1;
  if (value < 0) {
    throw new InvalidArgumentError(
      argument,
      `${argument} has ${JSON.stringify(text[index])} at ${index}; allowed: base64 (A-Z a-z 0-9 + /)`,
    );
  }
  return value;
}
