import { InvalidArgumentError } from '../errors/index.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Sextet value of each ASCII code, or -1 for characters outside the standard alphabet. */
const SEXTETS: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/**
 * Decodes standard (RFC 4648, `+/`, `=`-padded) base64 into bytes.
 *
 * A small pure decoder rather than `atob` or `Buffer`: `@squash/core` uses no Node built-ins, and
 * `atob` returns a binary string that would need a second copy. It runs once per process on a few
 * kilobytes, so it favours clarity over speed.
 */
export function decodeBase64(text: string): Uint8Array {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  if (text.length % 4 !== 0) {
    throw new InvalidArgumentError(
      'text',
      `base64 text has ${text.length} characters; allowed: a multiple of 4`,
    );
  }
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let write = 0;
  for (let read = 0; read < text.length; read += 4) {
    const group =
      (sextetAt(text, read) << 18) |
      (sextetAt(text, read + 1) << 12) |
      (sextetOrPad(text, read + 2) << 6) |
      sextetOrPad(text, read + 3);
    bytes[write++] = group >>> 16;
    if (write < bytes.length) bytes[write++] = (group >>> 8) & 0xff;
    if (write < bytes.length) bytes[write++] = group & 0xff;
  }
  return bytes;
}

function sextetAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  const value = code < 128 ? SEXTETS[code]! : -1;
  if (value < 0) {
    throw new InvalidArgumentError(
      'text',
      `base64 text has ${JSON.stringify(text[index])} at ${index}; allowed: A-Z a-z 0-9 + /`,
    );
  }
  return value;
}

function sextetOrPad(text: string, index: number): number {
  return text[index] === '=' && index >= text.length - 2 ? 0 : sextetAt(text, index);
}
