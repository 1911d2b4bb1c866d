import { InvalidArgumentError } from '../errors/index.ts';

/**
 * Boundary checks shared by the public `linalg` and `leanvec` entry points. The `...Impl` functions
 * behind them assume these have passed.
 */

/** `value` is a safe integer in [min, max]. */
export function assertIntegerInRange(
  argument: string,
  value: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `${min}..${max}`;
    throw new InvalidArgumentError(argument, `${argument} is ${value}; allowed: an integer ${range}`);
  }
}

/** `data` is a Float32Array holding exactly `n` rows of `dim` finite values. */
export function assertRowMatrix(argument: string, data: Float32Array, n: number, dim: number): void {
  assertIntegerInRange('n', n, 1);
  assertIntegerInRange('dim', dim, 1);
  if (!(data instanceof Float32Array)) {
    throw new InvalidArgumentError(argument, `${argument} is ${describe(data)}; allowed: a Float32Array`);
  }
  if (data.length !== n * dim) {
    throw new InvalidArgumentError(
      argument,
      `${argument} has ${data.length} values; ${n} rows of ${dim} dimensions need ${n * dim}`,
    );
  }
  assertFinite(argument, data, dim);
}

/** Every value of `values` is finite; the message names the row and column of the first that is not. */
export function assertFinite(argument: string, values: ArrayLike<number>, dim: number): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new InvalidArgumentError(
        argument,
        `${argument} row ${Math.floor(i / dim)} holds ${values[i]} at dimension ${i % dim}; allowed: finite numbers`,
      );
    }
  }
}

/** `rowIds` (if given) index rows of an n-row matrix; `rowScales` (if given) has one finite value per used row. */
export function assertRowSelection(n: number, rowIds?: Uint32Array, rowScales?: Float64Array): void {
  if (rowIds !== undefined) {
    if (!(rowIds instanceof Uint32Array)) {
      throw new InvalidArgumentError('rowIds', `rowIds is ${describe(rowIds)}; allowed: a Uint32Array`);
    }
    for (let j = 0; j < rowIds.length; j++) {
      if (rowIds[j]! >= n) {
        throw new InvalidArgumentError(
          'rowIds',
          `rowIds contains ${rowIds[j]}; allowed: row ids 0..${n - 1}`,
        );
      }
    }
  }
  if (rowScales !== undefined) {
    const used = rowIds === undefined ? n : rowIds.length;
    if (!(rowScales instanceof Float64Array) || rowScales.length !== used) {
      throw new InvalidArgumentError(
        'rowScales',
        `rowScales has ${rowScales?.length} values; allowed: a Float64Array with one value per used row (${used})`,
      );
    }
    assertFinite('rowScales', rowScales, 1);
  }
}

/** `matrix` is a dim x dim row-major array of finite numbers. */
export function assertSquareMatrix(argument: string, matrix: ArrayLike<number>, dim: number): void {
  assertIntegerInRange('dim', dim, 1);
  if (matrix?.length !== dim * dim) {
    throw new InvalidArgumentError(
      argument,
      `${argument} has ${matrix?.length} values; a ${dim} x ${dim} matrix needs ${dim * dim}`,
    );
  }
  assertFinite(argument, matrix, dim);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'object'}`;
  return typeof value;
}
