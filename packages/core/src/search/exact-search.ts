import type { VectorScanner } from '../distance/vector-scanner.ts';
import { DimensionMismatchError, InvalidArgumentError } from '../errors/index.ts';
import { TopK } from './top-k.ts';

export interface ExactSearchOptions {
  /** Number of neighbours to return. `topK > n` returns every (allowed) row. */
  readonly topK: number;
  /**
   * Only these row ids are considered (a filter's matches). Duplicates are ignored; ids outside
   * [0, n) are rejected. Omitted: every row.
   */
  readonly allowRowIds?: Uint32Array;
}

/** Row ids (0-based indices into the scanned matrix) and their distances, nearest first. */
export interface SearchHits {
  readonly ids: number[];
  readonly distances: number[];
}

/**
 * Exact brute-force k-nearest-neighbour search: every allowed row is measured. It is the reference
 * every approximate path is tested against, and the fastest path when a filter leaves few rows.
 * Ties at equal distance are broken by the lower row id.
 */
export function exactSearch(
  scanner: VectorScanner,
  query: Float32Array,
  options: ExactSearchOptions,
): SearchHits {
  if (query.length !== scanner.dim) {
    throw new DimensionMismatchError(
      scanner.dim,
      query.length,
      `query vector has ${query.length} dimensions; the data has ${scanner.dim}`,
    );
  }
  if (!Number.isInteger(options.topK) || options.topK < 1) {
    throw new InvalidArgumentError('topK', `topK is ${options.topK}; allowed: an integer >= 1`);
  }
  const top = new TopK(options.topK);
  if (options.allowRowIds === undefined) {
    const distances = new Float32Array(scanner.n);
    scanner.distancesToAll(query, distances);
    for (let i = 0; i < scanner.n; i++) top.push(distances[i]!, i);
  } else {
    const rows = uniqueSortedRows(options.allowRowIds, scanner.n);
    const distances = new Float32Array(rows.length);
    scanner.distancesToRows(query, rows, distances);
    for (let j = 0; j < rows.length; j++) top.push(distances[j]!, rows[j]!);
  }
  return top.result();
}

/** Validates row ids and returns them sorted without duplicates (a view when already so). */
function uniqueSortedRows(rows: Uint32Array, n: number): Uint32Array {
  let sorted = true;
  for (let j = 0; j < rows.length; j++) {
    if (rows[j]! >= n) {
      throw new InvalidArgumentError(
        'allowRowIds',
        `allowRowIds contains ${rows[j]}; allowed: row ids 0..${n - 1}`,
      );
    }
    if (j > 0 && rows[j]! <= rows[j - 1]!) sorted = false;
  }
  if (sorted) return rows;
  const copy = Uint32Array.from(rows).sort();
  let write = 0;
  for (let j = 0; j < copy.length; j++) if (j === 0 || copy[j] !== copy[j - 1]) copy[write++] = copy[j]!;
  return copy.subarray(0, write);
}
