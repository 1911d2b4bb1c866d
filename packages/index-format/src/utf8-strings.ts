import { readLittleEndian, writeLittleEndian } from './little-endian.ts';

/**
 * The `utf8` payload: a list of n strings as `n + 1` little-endian u32 offsets followed by the
 * strings' UTF-8 bytes, concatenated. String i is bytes `offsets[i] .. offsets[i + 1] - 1` of the
 * byte area (offsets count from the start of the byte area; `offsets[0] = 0`), so one string can
 * be fetched with two small ranged reads and no scan.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The payload of `strings`; throws `RangeError` past 4 GiB of text (u32 offsets). */
export function encodeUtf8Strings(strings: readonly string[]): Uint8Array {
  const encoded = strings.map((s) => encoder.encode(s));
  const offsets = new Uint32Array(strings.length + 1);
  let total = 0;
  for (let i = 0; i < encoded.length; i++) {
    total += encoded[i]!.byteLength;
    if (total > 0xffffffff) throw new RangeError('utf8 string list exceeds 4 GiB');
    offsets[i + 1] = total;
  }
  const header = offsets.byteLength;
  const out = new Uint8Array(header + total);
  writeLittleEndian(offsets, out, 0);
  for (let i = 0; i < encoded.length; i++) out.set(encoded[i]!, header + offsets[i]!);
  return out;
}

/**
 * Decodes `count` strings from `payload`. Returns a message describing the first inconsistency
 * (offsets out of order or past the end, invalid UTF-8) instead of the strings when it is malformed.
 */
export function decodeUtf8Strings(payload: Uint8Array, count: number): string[] | string {
  const header = (count + 1) * 4;
  if (payload.byteLength < header) {
    return `utf8 payload is ${payload.byteLength} bytes; ${count} strings need at least ${header}`;
  }
  const offsets = readLittleEndian(payload, 0, 'u32', count + 1);
  const area = payload.byteLength - header;
  if (offsets[0] !== 0 || offsets[count] !== area) {
    return `utf8 offsets span ${offsets[0]}..${offsets[count]}; the byte area is 0..${area}`;
  }
  const strings = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const start = offsets[i]!;
    const end = offsets[i + 1]!;
    if (end < start) return `utf8 offset ${i + 1} (${end}) is below offset ${i} (${start})`;
    try {
      strings[i] = decoder.decode(payload.subarray(header + start, header + end));
    } catch {
      return `utf8 string ${i} is not valid UTF-8`;
    }
  }
  return strings;
}
