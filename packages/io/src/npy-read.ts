/**
 * Reader for NumPy `.npy` files holding a 2-D C-order matrix (or a 1-D label array, read as
 * `dim = 1`) of float32, float64, uint8 or int32. float64 is narrowed to float32 on read, since
 * squash computes in float32; the rounding is the only lossy step.
 */
import { ByteReader } from './byte-reader.ts';
import { checkDataLength, type RowLayout, streamRows } from './fixed-rows.ts';
import { readInputBytes, readInputChunks } from './input-source.ts';
import { copyLittleEndian } from './little-endian.ts';
import { checkBatchRows, type Matrix, type MatrixBatch, type StreamOptions } from './matrix.ts';
import {
  NPY_MAX_PREAMBLE_BYTES,
  type NpyDtype,
  type NpyHeader,
  parseNpyHeader,
  parseNpyPreamble,
} from './npy-header.ts';

export type NpyArray = Float32Array | Uint8Array | Int32Array;

export interface NpyMatrix extends Matrix<NpyArray> {
  /** The dtype stored in the file (`<f8` data is returned as float32). */
  readonly dtype: NpyDtype;
  readonly shape: readonly number[];
}

export interface NpyBatch extends MatrixBatch<NpyArray> {
  readonly dtype: NpyDtype;
}

const ITEM_BYTES: Record<NpyDtype, number> = { '<f4': 4, '<f8': 8, '|u1': 1, '<i4': 4 };

/** Reads a whole `.npy` file (optionally `.npy.gz`). */
export async function readNpy(file: string): Promise<NpyMatrix> {
  const bytes = await readInputBytes(file);
  const header = parseNpyHeader(file, bytes);
  const layout = rowLayout(header);
  checkDataLength(file, bytes.length, layout);
  const data = decodeRows(header.dtype, bytes.subarray(header.headerBytes), layout.n * layout.dim);
  return { data, n: layout.n, dim: layout.dim, dtype: header.dtype, shape: header.shape };
}

/** Streams a `.npy` file in batches of rows (bounded memory); yields what `readNpy` returns. */
export async function* streamNpy(file: string, options: StreamOptions = {}): AsyncGenerator<NpyBatch> {
  const batchRows = checkBatchRows(options.batchRows);
  const reader = new ByteReader(readInputChunks(file));
  try {
    let head = await reader.read(NPY_MAX_PREAMBLE_BYTES);
    const { prefixBytes, dictBytes } = parseNpyPreamble(file, head);
    head = join(head, await reader.read(Math.max(0, prefixBytes + dictBytes - head.length)));
    const header = parseNpyHeader(file, head);
    const layout = rowLayout(header);
    const rows = streamRows(file, reader, layout, batchRows, (bytes, n) =>
      decodeRows(header.dtype, bytes, n * layout.dim),
    );
    for await (const batch of rows) yield { ...batch, dtype: header.dtype };
  } finally {
    await reader.close();
  }
}

function rowLayout(header: NpyHeader): RowLayout {
  const n = header.shape[0]!;
  const dim = header.shape[1] ?? 1;
  const rowBytes = dim * ITEM_BYTES[header.dtype];
  const declared = `shape (${header.shape.join(', ')}${header.shape.length === 1 ? ',' : ''}) of ${header.dtype}`;
  return { headerBytes: header.headerBytes, n, dim, rowBytes, declared };
}

function decodeRows(dtype: NpyDtype, bytes: Uint8Array, length: number): NpyArray {
  switch (dtype) {
    case '<f4': {
      const out = new Float32Array(length);
      copyLittleEndian(bytes, 0, out, 0, length);
      return out;
    }
    case '<f8': {
      const wide = new Float64Array(length);
      copyLittleEndian(bytes, 0, wide, 0, length);
      return Float32Array.from(wide);
    }
    case '|u1':
      // A copy into a plain Uint8Array: `bytes` may be a pooled Buffer, whose slice() is a view.
      return new Uint8Array(bytes.subarray(0, length));
    case '<i4': {
      const out = new Int32Array(length);
      copyLittleEndian(bytes, 0, out, 0, length);
      return out;
    }
  }
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
