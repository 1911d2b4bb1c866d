import { describe, expect, it } from 'vitest';
import { crc32cHex } from '../src/checksum.ts';
import { utf8Bytes } from './support/test-bytes.ts';

describe('crc32cHex', () => {
  it('matches the CRC-32C check value for "123456789"', async () => {
    expect(await crc32cHex(utf8Bytes('123456789'))).toBe('e3069283');
  });

  it('matches the RFC 3720 vectors for 32 zero bytes and 32 0xff bytes', async () => {
    expect(await crc32cHex(new Uint8Array(32))).toBe('8a9136aa');
    expect(await crc32cHex(new Uint8Array(32).fill(0xff))).toBe('62a8ab43');
  });

  it('returns 00000000 for no bytes', async () => {
    expect(await crc32cHex(new Uint8Array(0))).toBe('00000000');
  });

  it('checksums a view, not the whole underlying buffer', async () => {
    const buffer = utf8Bytes('xx123456789yy');
    expect(await crc32cHex(buffer.subarray(2, 11))).toBe('e3069283');
  });
});
