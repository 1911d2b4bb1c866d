import { IndexCorruptError } from './index-format-errors.ts';
import {
  dtypeBytes,
  dtypeOf,
  type NumericArray,
  type NumericDType,
  readLittleEndian,
  writeLittleEndian,
} from './little-endian.ts';
import { decodeUtf8Strings, encodeUtf8Strings } from './utf8-strings.ts';

/**
 * Binary index objects: a sequence of one or more array blocks. Each block is a fixed 40-byte
 * header followed by its little-endian payload, zero-padded to a multiple of 8 bytes, so every
 * payload starts 8-byte aligned and loads as a zero-copy typed-array view. Header layout (all
 * integers little-endian):
 *
 * | bytes  | field                                                            |
 * | ------ | ---------------------------------------------------------------- |
 * | 0..3   | magic `SQSH`                                                     |
 * | 4..7   | tag: 4 ASCII characters naming the array (`VECS`, `OSQC`, ...)   |
 * | 8      | block format version, 1                                          |
 * | 9      | dtype: 1 u8, 2 u16, 3 u32, 4 i32, 5 f32, 6 f64, 7 utf8 strings   |
 * | 10     | rank, 0..4                                                       |
 * | 11     | reserved, 0                                                      |
 * | 12..15 | reserved, 0                                                      |
 * | 16..31 | shape: 4 x u32, unused trailing dimensions 0                     |
 * | 32..39 | payload length in bytes, u64 (without the padding)               |
 *
 * Numeric payloads hold prod(shape) elements, row-major. A `utf8` block has rank 1 and its payload
 * is described in `utf8-strings.ts`. docs/index-format.md lists every object and its blocks.
 */

export const BLOCK_MAGIC = 'SQSH';
export const BLOCK_FORMAT_VERSION = 1;
export const BLOCK_HEADER_BYTES = 40;
const ALIGN_BYTES = 8;
const MAX_RANK = 4;

export type DType = NumericDType | 'utf8';

const DTYPE_CODES: Readonly<Record<DType, number>> = {
  u8: 1,
  u16: 2,
  u32: 3,
  i32: 4,
  f32: 5,
  f64: 6,
  utf8: 7,
};
const DTYPES_BY_CODE: readonly (DType | undefined)[] = [
  undefined,
  'u8',
  'u16',
  'u32',
  'i32',
  'f32',
  'f64',
  'utf8',
];

export interface NumericBlock {
  readonly tag: string;
  readonly dtype: NumericDType;
  readonly shape: readonly number[];
  readonly data: NumericArray;
}

export interface StringsBlock {
  readonly tag: string;
  readonly dtype: 'utf8';
  readonly shape: readonly number[];
  readonly data: readonly string[];
}

export type ArrayBlock = NumericBlock | StringsBlock;

/** A numeric block; `shape` defaults to `[data.length]`. */
export function numericBlock(
  tag: string,
  data: NumericArray,
  shape: readonly number[] = [data.length],
): NumericBlock {
  return { tag, dtype: dtypeOf(data), shape, data };
}

export function stringsBlock(tag: string, data: readonly string[]): StringsBlock {
  return { tag, dtype: 'utf8', shape: [data.length], data };
}

/** Encodes blocks into one object. Throws `RangeError` on a malformed block (a bug in the caller). */
export function encodeBlocks(blocks: readonly ArrayBlock[]): Uint8Array {
  const payloads = blocks.map((block) => {
    checkBlock(block);
    return block.dtype === 'utf8' ? encodeUtf8Strings(block.data) : undefined;
  });
  let total = 0;
  for (let i = 0; i < blocks.length; i++) {
    total +=
      BLOCK_HEADER_BYTES +
      padded(payloads[i]?.byteLength ?? blocks[i]!.data.length * elementBytes(blocks[i]!));
  }
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const payload = payloads[i];
    const payloadBytes = payload?.byteLength ?? block.data.length * elementBytes(block);
    writeHeader(view, offset, block, payloadBytes);
    if (payload !== undefined) out.set(payload, offset + BLOCK_HEADER_BYTES);
    else writeLittleEndian(block.data as NumericArray, out, offset + BLOCK_HEADER_BYTES);
    offset += BLOCK_HEADER_BYTES + padded(payloadBytes);
  }
  return out;
}

/**
 * Decodes every block of an object, checking magic, version, dtype, rank, that each payload fits
 * its shape and that the blocks end exactly at the end of the object. Numeric data are views on
 * `bytes` where alignment allows (see `readLittleEndian`).
 *
 * @throws IndexCorruptError naming `key` on any inconsistency (including truncation).
 */
export function decodeBlocks(bytes: Uint8Array, key: string): ArrayBlock[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const blocks: ArrayBlock[] = [];
  let offset = 0;
  while (offset < bytes.byteLength) {
    const corrupt = (message: string): IndexCorruptError =>
      new IndexCorruptError(key, `object ${key}, block ${blocks.length} at byte ${offset}: ${message}`);
    if (bytes.byteLength - offset < BLOCK_HEADER_BYTES) {
      throw corrupt(
        `${bytes.byteLength - offset} bytes left, a block header needs ${BLOCK_HEADER_BYTES} (truncated)`,
      );
    }
    const header = readHeader(view, offset, corrupt);
    const start = offset + BLOCK_HEADER_BYTES;
    if (header.payloadBytes > bytes.byteLength - start) {
      throw corrupt(`payload of ${header.payloadBytes} bytes runs past the end of the object (truncated)`);
    }
    blocks.push(decodePayload(bytes, start, header, corrupt));
    offset = start + padded(header.payloadBytes);
    if (offset > bytes.byteLength) throw corrupt('padding after the payload is missing (truncated)');
  }
  if (blocks.length === 0) throw new IndexCorruptError(key, `object ${key} is empty; expected array blocks`);
  return blocks;
}

interface BlockHeader {
  readonly tag: string;
  readonly dtype: DType;
  readonly shape: number[];
  readonly payloadBytes: number;
}

function writeHeader(view: DataView, offset: number, block: ArrayBlock, payloadBytes: number): void {
  for (let i = 0; i < 4; i++) {
    view.setUint8(offset + i, BLOCK_MAGIC.charCodeAt(i));
    view.setUint8(offset + 4 + i, block.tag.charCodeAt(i));
  }
  view.setUint8(offset + 8, BLOCK_FORMAT_VERSION);
  view.setUint8(offset + 9, DTYPE_CODES[block.dtype]);
  view.setUint8(offset + 10, block.shape.length);
  for (let i = 0; i < block.shape.length; i++) view.setUint32(offset + 16 + 4 * i, block.shape[i]!, true);
  view.setBigUint64(offset + 32, BigInt(payloadBytes), true);
}

function readHeader(
  view: DataView,
  offset: number,
  corrupt: (message: string) => IndexCorruptError,
): BlockHeader {
  const magic = ascii(view, offset);
  if (magic !== BLOCK_MAGIC) throw corrupt(`magic is ${JSON.stringify(magic)}; expected "${BLOCK_MAGIC}"`);
  const version = view.getUint8(offset + 8);
  if (version !== BLOCK_FORMAT_VERSION) {
    throw corrupt(`block format version ${version}; this reader supports ${BLOCK_FORMAT_VERSION}`);
  }
  const dtype = DTYPES_BY_CODE[view.getUint8(offset + 9)];
  if (dtype === undefined) throw corrupt(`unknown dtype code ${view.getUint8(offset + 9)}`);
  const rank = view.getUint8(offset + 10);
  if (rank > MAX_RANK || (dtype === 'utf8' && rank !== 1))
    throw corrupt(`rank ${rank} is not allowed for ${dtype}`);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(offset + 16 + 4 * i, true));
  const payloadBytes = Number(view.getBigUint64(offset + 32, true));
  return { tag: ascii(view, offset + 4), dtype, shape, payloadBytes };
}

function decodePayload(
  bytes: Uint8Array,
  start: number,
  header: BlockHeader,
  corrupt: (message: string) => IndexCorruptError,
): ArrayBlock {
  const count = header.shape.reduce((a, b) => a * b, 1);
  const { tag, shape, payloadBytes } = header;
  if (header.dtype === 'utf8') {
    const strings = decodeUtf8Strings(bytes.subarray(start, start + payloadBytes), count);
    if (typeof strings === 'string') throw corrupt(strings);
    return { tag, dtype: 'utf8', shape, data: strings };
  }
  const expected = count * dtypeBytes(header.dtype);
  if (payloadBytes !== expected) {
    throw corrupt(
      `payload is ${payloadBytes} bytes; shape [${shape.join(', ')}] of ${header.dtype} needs ${expected}`,
    );
  }
  return { tag, dtype: header.dtype, shape, data: readLittleEndian(bytes, start, header.dtype, count) };
}

function checkBlock(block: ArrayBlock): void {
  if (!/^[\x20-\x7e]{4}$/.test(block.tag))
    throw new RangeError(`block tag ${JSON.stringify(block.tag)} is not 4 ASCII characters`);
  if (block.shape.length > MAX_RANK)
    throw new RangeError(`block ${block.tag} has rank ${block.shape.length}; at most ${MAX_RANK}`);
  const count = block.shape.reduce((a, b) => a * b, 1);
  if (
    block.shape.some((s) => !Number.isInteger(s) || s < 0 || s > 0xffffffff) ||
    count !== block.data.length
  ) {
    throw new RangeError(
      `block ${block.tag} has shape [${block.shape.join(', ')}] for ${block.data.length} elements`,
    );
  }
}

function elementBytes(block: ArrayBlock): number {
  return block.dtype === 'utf8' ? 0 : dtypeBytes(block.dtype);
}

function padded(byteLength: number): number {
  return Math.ceil(byteLength / ALIGN_BYTES) * ALIGN_BYTES;
}

function ascii(view: DataView, offset: number): string {
  let text = '';
  for (let i = 0; i < 4; i++) text += String.fromCharCode(view.getUint8(offset + i));
  return text;
}
