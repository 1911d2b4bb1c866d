import { InvalidInputFileError, type JsonlAttributes, streamVectors, type VectorFormat } from '@squash/io';
import { InterruptedError } from './interrupt.ts';
import { readAs } from './shown-path.ts';

/** A vector file in memory: n x dim float32, row-major (uint8 and int32 inputs converted). */
export interface LoadedVectors {
  readonly format: VectorFormat;
  readonly data: Float32Array;
  readonly n: number;
  readonly dim: number;
  /** JSONL only: each row's `id` as a string. */
  readonly ids?: string[];
  /** JSONL only: each row's `attributes` object (undefined where a line has none). */
  readonly attributes?: (JsonlAttributes | undefined)[];
}

export interface LoadVectorsOptions {
  /** Called after each batch with the rows read so far (for progress). */
  readonly onRows?: (rows: number) => void;
  /** Stops between batches with `InterruptedError` once aborted. */
  readonly signal?: AbortSignal;
  /** Path shown in messages when it differs from the path opened. @default path */
  readonly shown?: string;
}

/** Rows per streamed batch: large enough that per-batch overhead is negligible, small for progress. */
const BATCH_ROWS = 8192;

/**
 * Streams a vector file into one Float32Array. Batches are kept until the end and then copied
 * into an exactly sized array, so peak memory is about twice the float32 data (the alternative,
 * a doubling buffer, peaks at three times); integer inputs are converted batch by batch, so a
 * uint8 file never exists as float32 twice.
 */
export function loadVectors(path: string, options: LoadVectorsOptions = {}): Promise<LoadedVectors> {
  return readAs(path, options.shown ?? path, () => loadVectorsAt(path, options));
}

async function loadVectorsAt(path: string, options: LoadVectorsOptions): Promise<LoadedVectors> {
  const batches: Float32Array[] = [];
  const ids: string[] = [];
  const attributes: (JsonlAttributes | undefined)[] = [];
  let n = 0;
  let dim = 0;
  let format: VectorFormat | undefined;
  for await (const batch of streamVectors(path, { batchRows: BATCH_ROWS })) {
    if (options.signal?.aborted === true) throw new InterruptedError();
    format = batch.format;
    dim = batch.dim;
    n += batch.n;
    batches.push(batch.data);
    if (batch.ids !== undefined) for (const id of batch.ids) ids.push(String(id));
    if (batch.attributes !== undefined) for (const a of batch.attributes) attributes.push(a);
    options.onRows?.(n);
  }
  if (format === undefined || n === 0) {
    throw new InvalidInputFileError(
      options.shown ?? path,
      undefined,
      'holds no vectors; expected at least one row',
    );
  }
  const data = concatenate(batches, n * dim);
  const jsonl = format === 'jsonl';
  return { format, data, n, dim, ...(jsonl ? { ids, attributes } : {}) };
}

function concatenate(batches: Float32Array[], length: number): Float32Array {
  if (batches.length === 1 && batches[0]!.length === length) return batches[0]!;
  const out = new Float32Array(length);
  let offset = 0;
  for (let i = 0; i < batches.length; i++) {
    out.set(batches[i]!, offset);
    offset += batches[i]!.length;
    // Drop each batch once copied so the garbage collector can reclaim it during the copy.
    batches[i] = new Float32Array(0);
  }
  return out;
}
