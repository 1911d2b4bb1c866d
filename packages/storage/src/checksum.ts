import { crc32 } from 'hash-wasm';

/** The Castagnoli polynomial (reflected form) that turns hash-wasm's `crc32` into CRC-32C. */
const CRC32C_POLYNOMIAL = 0x82f63b78;

/**
 * CRC-32C (Castagnoli) of `bytes` as 8 lowercase hex digits, e.g. `crc32cHex("123456789") ===
 * "e3069283"`. CRC-32C is the checksum S3 offers for objects (`x-amz-checksum-crc32c`) and the one
 * with hardware support on x86 and ARM, so index files use it to detect torn or corrupted reads.
 * It detects accidental corruption only; it is not a cryptographic hash.
 *
 * Runs in WebAssembly (hash-wasm, since 4.12 `crc32(data, polynomial)`; the separate `crc32c`
 * export was removed), at several GB/s, so checksumming a segment costs far less than reading it.
 */
export async function crc32cHex(bytes: Uint8Array): Promise<string> {
  return crc32(bytes, CRC32C_POLYNOMIAL);
}
