import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64 } from '../src/wasm/decode-base64.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A deliberately naive bit-by-bit encoder, independent of the decoder's grouping arithmetic. */
function encodeBits(bytes: Uint8Array): string {
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  let text = '';
  for (let i = 0; i < bits.length; i += 6)
    text += ALPHABET[Number.parseInt(bits.slice(i, i + 6).padEnd(6, '0'), 2)];
  return text.padEnd(Math.ceil(text.length / 4) * 4, '=');
}

const text = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

describe('decodeBase64', () => {
  it('decodes the RFC 4648 test vectors', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['Zg==', 'f'],
      ['Zm8=', 'fo'],
      ['Zm9v', 'foo'],
      ['Zm9vYg==', 'foob'],
      ['Zm9vYmE=', 'fooba'],
      ['Zm9vYmFy', 'foobar'],
    ];
    for (const [encoded, decoded] of vectors) expect(text(decodeBase64(encoded))).toBe(decoded);
  });

  it('inverts an independent encoder on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(decodeBase64(encodeBits(bytes))).toEqual(bytes);
      }),
      { seed: 4648, numRuns: 300 },
    );
  });

  it('rejects text whose length is not a multiple of 4', () => {
    expect(() => decodeBase64('Zm9')).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: 'base64 text has 3 characters; allowed: a multiple of 4',
      }),
    );
  });

  it('rejects characters outside the standard alphabet, including padding in the middle', () => {
    expect(() => decodeBase64('Zm9-')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => decodeBase64('Zm9é')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => decodeBase64('Z=9vYmFy')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
