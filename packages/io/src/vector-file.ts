/**
 * One entry point for "give me float32 rows from this file", whatever its format: the CLI's
 * `build --input` and the dataset tests use it. Integer formats (uint8 pixels, int32) are
 * converted to float32 exactly (every uint8 and every |int32| < 2^24 is representable).
 */
import { type IdxArray, readIdx, streamIdx } from './idx-read.ts';
import { type JsonlAttributes, readJsonl, streamJsonl } from './jsonl-read.ts';
import type { StreamOptions } from './matrix.ts';
import { type NpyArray, readNpy, streamNpy } from './npy-read.ts';
import { readTexmex, streamTexmex } from './texmex-read.ts';
import { detectVectorFormat, type VectorFormat } from './vector-format.ts';

export interface VectorFile {
  readonly format: VectorFormat;
  /** n x dim float32, row-major. */
  readonly data: Float32Array;
  readonly n: number;
  readonly dim: number;
  /** JSONL only: the `id` of each row. */
  readonly ids?: readonly (string | number)[];
  /** JSONL only: the `attributes` object of each row (undefined where a line has none). */
  readonly attributes?: readonly (JsonlAttributes | undefined)[];
}

export interface VectorBatch extends VectorFile {
  /** Index of the batch's first row in the file. */
  readonly firstRow: number;
}

/** Reads a whole vector file as float32 rows; the format comes from the extension. */
export async function readVectors(file: string): Promise<VectorFile> {
  const format = detectVectorFormat(file);
  switch (format) {
    case 'fvecs':
    case 'ivecs':
    case 'bvecs': {
      const m = await readTexmex(file, format);
      return { format, data: toFloat32(m.data), n: m.n, dim: m.dim };
    }
    case 'idx': {
      const m = await readIdx(file);
      return { format, data: toFloat32(m.data), n: m.n, dim: m.dim };
    }
    case 'npy': {
      const m = await readNpy(file);
      return { format, data: toFloat32(m.data), n: m.n, dim: m.dim };
    }
    case 'jsonl': {
      const m = await readJsonl(file);
      return { format, data: m.data, n: m.n, dim: m.dim, ids: m.ids, attributes: m.attributes };
    }
  }
}

/**
 * Streams a vector file as float32 batches of `batchRows` rows, for files too large to hold:
 * memory stays near one batch. The concatenated batches equal `readVectors(file)`.
 */
export async function* streamVectors(
  file: string,
  options: StreamOptions = {},
): AsyncGenerator<VectorBatch, void, undefined> {
  const format = detectVectorFormat(file);
  if (format === 'jsonl') {
    for await (const { data, n, dim, firstRow, ids, attributes } of streamJsonl(file, options)) {
      yield { format, data, n, dim, firstRow, ids, attributes };
    }
    return;
  }
  const batches =
    format === 'idx'
      ? streamIdx(file, options)
      : format === 'npy'
        ? streamNpy(file, options)
        : streamTexmex(file, format, options);
  for await (const { data, n, dim, firstRow } of batches) {
    yield { format, data: toFloat32(data), n, dim, firstRow };
  }
}

function toFloat32(data: IdxArray | NpyArray | Int32Array): Float32Array {
  return data instanceof Float32Array ? data : Float32Array.from(data);
}
