import { DimensionMismatchError, InvalidArgumentError } from '../errors/index.ts';
import { assertFinite, assertIntegerInRange } from '../linalg/matrix-validation.ts';
import type { LeanVecModel } from './leanvec-model.ts';

/**
 * Float64 accumulator for one projected row, shared by every call: JavaScript runs one call at a
 * time and nothing here awaits, so reuse is safe and keeps `projectQuery` allocation-free.
 */
let scratch = new Float64Array(0);

/**
 * Projects `n` data rows (n x inputDim, row-major) to n x outputDim with the model's data
 * projection: (x - mean) P for `l2`, x P for `ip`, (x / ||x||) P for `cosine`.
 *
 * Cost O(n * inputDim * outputDim); exact zeros in a row are skipped, which halves the work on
 * pixel data. Accumulates in float64 and rounds once to float32.
 *
 * @param out where to write (length >= n * outputDim); allocated when omitted.
 * @throws InvalidArgumentError when `n` is not an integer >= 0, a value is not finite, or `out`
 *   is too short.
 * @throws DimensionMismatchError when `rows` does not hold n rows of inputDim values.
 */
export function projectData(
  model: LeanVecModel,
  rows: Float32Array,
  n: number,
  out?: Float32Array,
): Float32Array {
  const { inputDim, outputDim } = model;
  assertIntegerInRange('n', n, 0);
  if (rows.length !== n * inputDim) {
    const actual = n === 0 ? rows.length : rows.length / n;
    throw new DimensionMismatchError(
      inputDim,
      actual,
      `rows has ${rows.length} values for ${n} rows (${actual} dimensions each); the model expects ${inputDim}`,
    );
  }
  assertFinite('rows', rows, inputDim);
  const target = out ?? new Float32Array(n * outputDim);
  assertOutput(target, n * outputDim);
  for (let row = 0; row < n; row++) {
    projectRowImpl(model, model.dataProjection, rows, row * inputDim, target, row * outputDim);
  }
  return target;
}

/**
 * Projects one query to outputDim values with the model's query projection:
 * (q - mean) P for `l2`, q A for `ip`, (q / ||q||) A for `cosine`.
 *
 * @param out where to write (length >= outputDim); pass one to project without allocating.
 * @throws DimensionMismatchError when `query` does not have inputDim values.
 * @throws InvalidArgumentError when a value is not finite or `out` is too short.
 */
export function projectQuery(model: LeanVecModel, query: Float32Array, out?: Float32Array): Float32Array {
  if (query.length !== model.inputDim) {
    throw new DimensionMismatchError(
      model.inputDim,
      query.length,
      `query vector has ${query.length} dimensions; the LeanVec model expects ${model.inputDim}`,
    );
  }
  assertFinite('query', query, model.inputDim);
  const target = out ?? new Float32Array(model.outputDim);
  assertOutput(target, model.outputDim);
  projectRowImpl(model, model.queryProjection, query, 0, target, 0);
  return target;
}

/** Projects the row at `offset` of `source` with `projection` into `out` at `outOffset`. */
export function projectRowImpl(
  model: LeanVecModel,
  projection: Float32Array,
  source: Float32Array,
  offset: number,
  out: Float32Array,
  outOffset: number,
): void {
  const { inputDim, outputDim, mean } = model;
  if (scratch.length < outputDim) scratch = new Float64Array(outputDim);
  const acc = scratch;
  acc.fill(0, 0, outputDim);
  const scale = model.metric === 'cosine' ? inverseNorm(source, offset, inputDim) : 1;
  for (let i = 0; i < inputDim; i++) {
    const value = mean === null ? source[offset + i]! * scale : source[offset + i]! - mean[i]!;
    if (value === 0) continue;
    const projectionRow = i * outputDim;
    for (let j = 0; j < outputDim; j++) acc[j] = acc[j]! + value * projection[projectionRow + j]!;
  }
  for (let j = 0; j < outputDim; j++) out[outOffset + j] = acc[j]!;
}

function inverseNorm(source: Float32Array, offset: number, dim: number): number {
  let sum = 0;
  for (let i = 0; i < dim; i++) sum += source[offset + i]! * source[offset + i]!;
  return sum > 0 ? 1 / Math.sqrt(sum) : 0;
}

function assertOutput(out: Float32Array, needed: number): void {
  if (!(out instanceof Float32Array) || out.length < needed) {
    throw new InvalidArgumentError(
      'out',
      `out has ${out?.length} values; allowed: a Float32Array of at least ${needed}`,
    );
  }
}
