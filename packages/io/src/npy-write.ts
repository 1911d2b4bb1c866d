import { InvalidArgumentError } from '@squash/errors';
import { littleEndianBytes } from './little-endian.ts';
import { NPY_MAGIC, type NpyDtype } from './npy-header.ts';
import { rowCount, WRITE_CHUNK_BYTES, writeOutput } from './output-file.ts';

export type NpyWritableArray = Float32Array | Float64Array | Uint8Array | Int32Array;

export interface WriteNpyOptions {
  /**
   * Format version. 1.0 is what numpy writes for any header under 64 KiB and what every reader
   * understands; 2.0 and 3.0 (uint32 header length; 3.0 allows UTF-8) exist for round-trip tests.
   * @default 1
   */
  readonly version?: 1 | 2 | 3;
}

/** numpy aligns the data to 64 bytes so it can be memory-mapped with any dtype. */
const NPY_ALIGN_BYTES = 64;

/**
 * Writes a 1-D (`shape = [n]`) or 2-D (`shape = [n, dim]`) C-order array as `.npy`; the dtype
 * follows the array type (Float32Array -> `<f4`, Float64Array -> `<f8`, Uint8Array -> `|u1`,
 * Int32Array -> `<i4`). A name ending in `.gz` is gzip-compressed.
 */
export async function writeNpy(
  file: string,
  data: NpyWritableArray,
  shape: readonly [number] | readonly [number, number],
  options: WriteNpyOptions = {},
): Promise<void> {
  const n = shape[0];
  const dim = shape[1] ?? 1;
  if (rowCount(data.length, dim) !== n) {
    throw new InvalidArgumentError(
      'shape',
      `shape (${shape.join(', ')}) needs ${n * dim} values; data has ${data.length}`,
    );
  }
  const header = npyHeader(dtypeOf(data), shape, options.version ?? 1);
  const bytes = littleEndianBytes(data);
  await writeOutput(file, chunks(header, bytes));
}

function* chunks(header: Uint8Array, bytes: Uint8Array): Generator<Uint8Array> {
  yield header;
  for (let start = 0; start < bytes.length; start += WRITE_CHUNK_BYTES) {
    yield bytes.slice(start, start + WRITE_CHUNK_BYTES);
  }
}

function dtypeOf(data: NpyWritableArray): NpyDtype {
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Uint8Array) return '|u1';
  return '<i4';
}

/** numpy leaves room for the row count to grow to this many digits (numpy.lib.format). */
const GROWTH_AXIS_MAX_DIGITS = 21;

/**
 * Magic, version, length field and the dict, laid out byte-for-byte as numpy >= 1.24 writes it:
 * spaces reserved for the first axis to grow, then padding so the data starts on a 64-byte
 * boundary, then `\n`.
 */
export function npyHeader(dtype: NpyDtype, shape: readonly number[], version: 1 | 2 | 3): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const growth = ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length));
  const prefixBytes = version === 1 ? 10 : 12;
  const unpadded = dict + growth;
  const padding = NPY_ALIGN_BYTES - ((prefixBytes + unpadded.length + 1) % NPY_ALIGN_BYTES);
  const text = `${unpadded}${' '.repeat(padding)}\n`;
  const out = new Uint8Array(prefixBytes + text.length);
  out.set(NPY_MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  out.set(new TextEncoder().encode(text), prefixBytes);
  return out;
}
