/**
 * Reader for IDX, the big-endian format of the MNIST files (LeCun et al.): bytes 0-1 are zero,
 * byte 2 is the element type, byte 3 the number of dimensions, then one uint32 per dimension,
 * then the values in row-major order. The first dimension is the row count; the others are
 * flattened into the row (28 x 28 images become 784-value rows).
 */
import { ByteReader } from './byte-reader.ts';
import { errorAtByte, plural } from './file-error.ts';
import { checkDataLength, type RowLayout, streamRows } from './fixed-rows.ts';
import { readInputBytes, readInputChunks } from './input-source.ts';
import { checkBatchRows, type Matrix, type MatrixBatch, type StreamOptions } from './matrix.ts';

export type IdxType = 'ubyte' | 'sbyte' | 'short' | 'int' | 'float' | 'double';
export type IdxArray = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxMatrix extends Matrix<IdxArray> {
  readonly type: IdxType;
  /** The dimensions as declared, e.g. `[10000, 28, 28]`; `n = dims[0]`, `dim` = product of the rest. */
  readonly dims: readonly number[];
}

export interface IdxBatch extends MatrixBatch<IdxArray> {
  readonly type: IdxType;
  readonly dims: readonly number[];
}

interface IdxTypeInfo {
  readonly type: IdxType;
  readonly bytes: number;
  readonly allocate: (length: number) => IdxArray;
  readonly get: (view: DataView, offset: number) => number;
}

export const IDX_TYPE_CODES: Readonly<Record<number, IdxTypeInfo>> = {
  8: { type: 'ubyte', bytes: 1, allocate: (l) => new Uint8Array(l), get: (v, o) => v.getUint8(o) },
  9: { type: 'sbyte', bytes: 1, allocate: (l) => new Int8Array(l), get: (v, o) => v.getInt8(o) },
  11: { type: 'short', bytes: 2, allocate: (l) => new Int16Array(l), get: (v, o) => v.getInt16(o) },
  12: { type: 'int', bytes: 4, allocate: (l) => new Int32Array(l), get: (v, o) => v.getInt32(o) },
  13: { type: 'float', bytes: 4, allocate: (l) => new Float32Array(l), get: (v, o) => v.getFloat32(o) },
  14: { type: 'double', bytes: 8, allocate: (l) => new Float64Array(l), get: (v, o) => v.getFloat64(o) },
};

const MAX_DIMS = 16;

interface IdxHeader extends RowLayout {
  readonly info: IdxTypeInfo;
  readonly dims: readonly number[];
}

/** Reads a whole IDX file (optionally `.gz`). */
export async function readIdx(file: string): Promise<IdxMatrix> {
  const bytes = await readInputBytes(file);
  const header = parseHeader(file, bytes);
  checkDataLength(file, bytes.length, header);
  const data = decode(header, bytes.subarray(header.headerBytes), header.n);
  return { data, n: header.n, dim: header.dim, type: header.info.type, dims: header.dims };
}

/** Streams an IDX file in batches of rows (bounded memory); yields what `readIdx` returns. */
export async function* streamIdx(file: string, options: StreamOptions = {}): AsyncGenerator<IdxBatch> {
  const batchRows = checkBatchRows(options.batchRows);
  const reader = new ByteReader(readInputChunks(file));
  try {
    const magic = await reader.read(4);
    const ndims = magic.length === 4 ? magic[3]! : 0;
    const rest = await reader.read(4 * ndims);
    const head = new Uint8Array(magic.length + rest.length);
    head.set(magic);
    head.set(rest, magic.length);
    const header = parseHeader(file, head);
    const rows = streamRows(file, reader, header, batchRows, (bytes, n) => decode(header, bytes, n));
    for await (const batch of rows) yield { ...batch, type: header.info.type, dims: header.dims };
  } finally {
    await reader.close();
  }
}

function parseHeader(file: string, bytes: Uint8Array): IdxHeader {
  if (bytes.length === 0)
    throw errorAtByte(file, 0, 'file is empty; expected an IDX header (00 00 type ndims)');
  if (bytes.length < 4) {
    throw errorAtByte(
      file,
      0,
      `file has only ${plural(bytes.length, 'byte')}; expected a 4-byte IDX magic number`,
    );
  }
  const magicHex = hex(bytes.subarray(0, 4));
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw errorAtByte(file, 0, `magic number is ${magicHex}; expected an IDX magic starting with 00 00`);
  }
  const info = IDX_TYPE_CODES[bytes[2]!];
  if (info === undefined) {
    throw errorAtByte(
      file,
      2,
      `magic number ${magicHex} has type code 0x${bytes[2]!.toString(16).padStart(2, '0')}; ` +
        'expected 0x08 ubyte, 0x09 sbyte, 0x0b short, 0x0c int, 0x0d float or 0x0e double',
    );
  }
  const ndims = bytes[3]!;
  if (ndims < 1 || ndims > MAX_DIMS) {
    throw errorAtByte(
      file,
      3,
      `magic number ${magicHex} declares ${ndims} dimensions; expected 1 to ${MAX_DIMS}`,
    );
  }
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw errorAtByte(
      file,
      bytes.length,
      `header is truncated: the file ends after ${plural(bytes.length, 'byte')}; expected ${headerBytes} header bytes for ${ndims} dimensions`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i));
  const zero = dims.findIndex((d, i) => d === 0 && i > 0);
  if (zero > 0) {
    throw errorAtByte(
      file,
      4 + 4 * zero,
      `dimension ${zero} is 0; expected every row dimension to be positive`,
    );
  }
  const dim = dims.slice(1).reduce((product, d) => product * d, 1);
  const rowBytes = dim * info.bytes;
  const n = dims[0]!;
  if (!Number.isSafeInteger(rowBytes * n)) {
    throw errorAtByte(file, 4, `dimensions [${dims.join(', ')}] describe more data than any file can hold`);
  }
  return { headerBytes, n, dim, rowBytes, info, dims, declared: `dims [${dims.join(', ')}] of ${info.type}` };
}

function decode(header: IdxHeader, bytes: Uint8Array, rows: number): IdxArray {
  const length = rows * header.dim;
  const { info } = header;
  if (info.bytes === 1) {
    const out = info.allocate(length);
    new Uint8Array(out.buffer, out.byteOffset, length).set(bytes.subarray(0, length));
    return out;
  }
  const out = info.allocate(length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, length * info.bytes);
  for (let i = 0; i < length; i++) out[i] = info.get(view, i * info.bytes);
  return out;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
