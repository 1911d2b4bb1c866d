import { InvalidArgumentError } from '../errors/index.ts';
import { assertIntegerInRange } from '../linalg/matrix-validation.ts';
import { hammingScanImpl } from './binary-code.ts';
import { assertRowIds } from './pack-codes.ts';
import type { OsqQueryTables } from './prepare-osq-query.ts';

/**
 * Hamming distances between the query's sign bits (`tables.binary`) and the binary codes of the
 * rows `rowIds` (all n rows in order when null) of `binary` (from `encodeOsq`), written to
 * `out[k]` for the k-th row. Lower is closer; values range over 0..binaryDims. About one
 * popcount per 32 sign-coded dimensions per row.
 *
 * @throws InvalidArgumentError when `binary` does not hold n codes of the query's word count, a
 *   row id is out of range, or `out` is shorter than the number of rows scanned.
 */
export function hammingScan(
  tables: Pick<OsqQueryTables, 'binary'>,
  binary: Uint32Array,
  n: number,
  rowIds: Uint32Array | null,
  out: Uint32Array,
): void {
  assertIntegerInRange('n', n, 0);
  const words = tables.binary.length;
  if (!(binary instanceof Uint32Array) || binary.length !== n * words) {
    throw new InvalidArgumentError(
      'binary',
      `binary has ${binary?.length} words; ${n} vectors of ${words} words need ${n * words}`,
    );
  }
  if (rowIds !== null) assertRowIds(rowIds, n);
  const count = rowIds === null ? n : rowIds.length;
  if (!(out instanceof Uint32Array) || out.length < count) {
    throw new InvalidArgumentError(
      'out',
      `out has ${out?.length} values; ${count} rows need a Uint32Array of ${count}`,
    );
  }
  if (words === 0) {
    out.fill(0, 0, count);
    return;
  }
  hammingScanImpl(tables.binary, words, binary, rowIds, count, out);
}
