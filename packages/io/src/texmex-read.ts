/**
 * Readers for the TEXMEX vector formats of the SIFT/GIST benchmark files (Jégou et al.,
 * corpus-texmex.irisa.fr): every record is a little-endian int32 `dim` followed by `dim` values,
 * float32 (`.fvecs`), int32 (`.ivecs`, e.g. ground-truth ids) or uint8 (`.bvecs`). All records of
 * a file must share one dim. `.gz` files are inflated transparently.
 */
import { ByteReader } from './byte-reader.ts';
import { errorAtByte, plural } from './file-error.ts';
import { readInputBytes, readInputChunks } from './input-source.ts';
import { copyLittleEndian } from './little-endian.ts';
import { checkBatchRows, type Matrix, type MatrixBatch, type StreamOptions } from './matrix.ts';

export type TexmexKind = 'fvecs' | 'ivecs' | 'bvecs';

export interface TexmexArrays {
  fvecs: Float32Array;
  ivecs: Int32Array;
  bvecs: Uint8Array;
}

const VALUE_BYTES: Record<TexmexKind, number> = { fvecs: 4, ivecs: 4, bvecs: 1 };
const VALUE_NAME: Record<TexmexKind, string> = { fvecs: 'float32', ivecs: 'int32', bvecs: 'uint8' };
const ALLOCATE: { [K in TexmexKind]: (length: number) => TexmexArrays[K] } = {
  fvecs: (length) => new Float32Array(length),
  ivecs: (length) => new Int32Array(length),
  bvecs: (length) => new Uint8Array(length),
};

/** Reads a whole `.fvecs` / `.ivecs` / `.bvecs` file (optionally `.gz`). */
export async function readTexmex<K extends TexmexKind>(
  file: string,
  kind: K,
): Promise<Matrix<TexmexArrays[K]>> {
  const bytes = await readInputBytes(file);
  const dim = firstDim(file, kind, bytes);
  return decodeRecords(file, kind, bytes, dim, 0, 0);
}

export const readFvecs = (file: string): Promise<Matrix<Float32Array>> => readTexmex(file, 'fvecs');
export const readIvecs = (file: string): Promise<Matrix<Int32Array>> => readTexmex(file, 'ivecs');
export const readBvecs = (file: string): Promise<Matrix<Uint8Array>> => readTexmex(file, 'bvecs');

/**
 * Streams a TEXMEX file in batches of `batchRows` rows without holding the whole file: the way to
 * read files larger than memory (SIFT1B's `.bvecs`). Yields the same rows as `readTexmex`.
 */
export async function* streamTexmex<K extends TexmexKind>(
  file: string,
  kind: K,
  options: StreamOptions = {},
): AsyncGenerator<MatrixBatch<TexmexArrays[K]>, void, undefined> {
  const batchRows = checkBatchRows(options.batchRows);
  const reader = new ByteReader(readInputChunks(file));
  try {
    const head = await reader.read(4);
    const dim = firstDim(file, kind, head);
    const recordBytes = 4 + dim * VALUE_BYTES[kind];
    let firstRow = 0;
    let bytes = concat(head, await reader.read(batchRows * recordBytes - 4));
    while (bytes.length > 0) {
      const batch = decodeRecords(file, kind, bytes, dim, reader.offset - bytes.length, firstRow);
      yield { ...batch, firstRow };
      firstRow += batch.n;
      bytes = await reader.read(batchRows * recordBytes);
    }
  } finally {
    await reader.close();
  }
}

export const streamFvecs = (file: string, options?: StreamOptions) => streamTexmex(file, 'fvecs', options);
export const streamIvecs = (file: string, options?: StreamOptions) => streamTexmex(file, 'ivecs', options);
export const streamBvecs = (file: string, options?: StreamOptions) => streamTexmex(file, 'bvecs', options);

/** The dim declared by record 0, validated against the bytes that are present. */
function firstDim(file: string, kind: TexmexKind, bytes: Uint8Array): number {
  if (bytes.length === 0) {
    throw errorAtByte(
      file,
      0,
      `file is empty; expected records of an int32 dim followed by dim ${VALUE_NAME[kind]} values`,
    );
  }
  if (bytes.length < 4) {
    throw errorAtByte(file, 0, `file has only ${plural(bytes.length, 'byte')}; expected a 4-byte int32 dim`);
  }
  const dim = readInt32(bytes, 0);
  if (dim <= 0) throw errorAtByte(file, 0, `record 0 declares dim ${dim}; expected a positive dimension`);
  return dim;
}

/**
 * Decodes whole records from `bytes` (which start at a record boundary, at `baseOffset` in the
 * file). Every record's header must repeat `dim`; a partial record at the end is a truncation.
 */
function decodeRecords<K extends TexmexKind>(
  file: string,
  kind: K,
  bytes: Uint8Array,
  dim: number,
  baseOffset: number,
  firstRow: number,
): Matrix<TexmexArrays[K]> {
  const recordBytes = 4 + dim * VALUE_BYTES[kind];
  const n = Math.floor(bytes.length / recordBytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let r = 0; r < n; r++) checkHeader(file, view, r * recordBytes, dim, baseOffset, firstRow + r);
  const tail = bytes.length - n * recordBytes;
  if (tail > 0) {
    const offset = n * recordBytes;
    if (tail >= 4) checkHeader(file, view, offset, dim, baseOffset, firstRow + n);
    throw errorAtByte(
      file,
      baseOffset + offset,
      `record ${firstRow + n} is truncated: the file ends after ${plural(tail, 'byte')} of it; ` +
        `expected ${recordBytes} bytes (int32 dim + ${dim} ${VALUE_NAME[kind]} values)`,
    );
  }
  const data = ALLOCATE[kind](n * dim);
  for (let r = 0; r < n; r++) copyLittleEndian(bytes, r * recordBytes + 4, data, r * dim, dim);
  return { data, n, dim };
}

function checkHeader(
  file: string,
  view: DataView,
  offset: number,
  dim: number,
  baseOffset: number,
  record: number,
): void {
  const declared = view.getInt32(offset, true);
  if (declared !== dim) {
    throw errorAtByte(
      file,
      baseOffset + offset,
      `record ${record} declares dim ${declared}; expected a positive dimension equal to ${dim} (the dim of record 0)`,
    );
  }
}

function readInt32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getInt32(0, true);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
