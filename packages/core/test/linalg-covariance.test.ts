import { describe, expect, it } from 'vitest';
import { DimensionMismatchError, InvalidArgumentError } from '../src/errors/index.ts';
import { covariance, meanRows, secondMoment } from '../src/linalg/index.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

/** n x dim rows; `zeroShare` of the values are exact zeros (to drive the sparse path). */
function randomRows(n: number, dim: number, seed: number, zeroShare = 0, offset = 0): Float32Array {
  const random = new SeededRandom(seed);
  const rows = new Float32Array(n * dim);
  for (let i = 0; i < rows.length; i++) {
    rows[i] = random.nextFloat() < zeroShare ? 0 : offset + random.nextGaussian() * (1 + (i % dim) / dim);
  }
  return rows;
}

/** Plain float64 reference: sum_k (s_k x_k - c)(s_k x_k - c)^T / count. */
function referenceScatter(
  data: Float32Array,
  dim: number,
  rowIds: ArrayLike<number>,
  scales: ArrayLike<number> | undefined,
  centre: ArrayLike<number> | undefined,
): Float64Array {
  const out = new Float64Array(dim * dim);
  for (let k = 0; k < rowIds.length; k++) {
    const offset = rowIds[k]! * dim;
    const s = scales === undefined ? 1 : scales[k]!;
    const y = Array.from(
      { length: dim },
      (_, i) => data[offset + i]! * s - (centre === undefined ? 0 : centre[i]!),
    );
    for (let i = 0; i < dim; i++)
      for (let j = 0; j < dim; j++) out[i * dim + j] = out[i * dim + j]! + y[i]! * y[j]!;
  }
  return out.map((v) => v / rowIds.length);
}

function referenceMean(
  data: Float32Array,
  dim: number,
  rowIds: ArrayLike<number>,
  scales?: ArrayLike<number>,
): number[] {
  const mean = new Array<number>(dim).fill(0);
  for (let k = 0; k < rowIds.length; k++) {
    for (let i = 0; i < dim; i++)
      mean[i]! += (data[rowIds[k]! * dim + i]! * (scales?.[k] ?? 1)) / rowIds.length;
  }
  return mean;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst).toBeLessThanOrEqual(tolerance);
}

const allRows = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('meanRows', () => {
  it('returns the mean of the selected, scaled rows', () => {
    const data = randomRows(50, 7, 1);
    const rowIds = Uint32Array.from([3, 9, 9, 41]);
    const rowScales = Float64Array.from([1, 0.5, 2, -1]);
    expectClose(meanRows(data, 50, 7), referenceMean(data, 7, allRows(50)), 1e-12);
    expectClose(
      meanRows(data, 50, 7, { rowIds, rowScales }),
      referenceMean(data, 7, rowIds, rowScales),
      1e-12,
    );
  });

  it('rejects an empty selection and out-of-range row ids with INVALID_ARGUMENT', () => {
    const data = randomRows(5, 3, 1);
    expect(() => meanRows(data, 5, 3, { rowIds: new Uint32Array(0) })).toThrow(InvalidArgumentError);
    expect(() => meanRows(data, 5, 3, { rowIds: Uint32Array.from([5]) })).toThrow(/rowIds contains 5/);
  });
});

describe('covariance and secondMoment', () => {
  // Dims 6 and 13 are not multiples of the 4 x 4 register block; 40% and 90% zeros pick the
  // dense and the sparse accumulation path respectively.
  it.for([
    { dim: 6, zeroShare: 0 },
    { dim: 13, zeroShare: 0.4 },
    { dim: 13, zeroShare: 0.9 },
    { dim: 32, zeroShare: 0.8 },
  ])('matches the float64 reference on dim $dim with $zeroShare zeros', ({ dim, zeroShare }) => {
    const n = 300;
    const data = randomRows(n, dim, dim, zeroShare, 3);
    const mean = referenceMean(data, dim, allRows(n));
    expectClose(covariance(data, n, dim), referenceScatter(data, dim, allRows(n), undefined, mean), 1e-9);
    expectClose(
      secondMoment(data, n, dim),
      referenceScatter(data, dim, allRows(n), undefined, undefined),
      1e-9,
    );
  });

  it.for([0, 0.9])('honours rowIds, rowScales and a given centre (%s zeros)', (zeroShare) => {
    const dim = 9;
    const data = randomRows(200, dim, 5, zeroShare, 1);
    const rowIds = new SeededRandom(3).sampleIndices(200, 150);
    const rowScales = Float64Array.from(rowIds, (id) => 1 / (1 + id));
    const centre = Array.from({ length: dim }, (_, i) => i / 10);
    expectClose(
      covariance(data, 200, dim, { rowIds, rowScales, mean: centre }),
      referenceScatter(data, dim, rowIds, rowScales, centre),
      1e-9,
    );
    expectClose(
      secondMoment(data, 200, dim, { rowIds, rowScales }),
      referenceScatter(data, dim, rowIds, rowScales, undefined),
      1e-9,
    );
  });

  it('returns a symmetric matrix whose trace is the mean squared distance to the mean', () => {
    const n = 500;
    const dim = 20;
    const data = randomRows(n, dim, 11);
    const c = covariance(data, n, dim);
    const mean = meanRows(data, n, dim);
    let trace = 0;
    for (let i = 0; i < dim; i++) {
      trace += c[i * dim + i]!;
      for (let j = 0; j < dim; j++) expect(c[i * dim + j]).toBe(c[j * dim + i]);
    }
    let spread = 0;
    for (let k = 0; k < n; k++)
      for (let i = 0; i < dim; i++) spread += (data[k * dim + i]! - mean[i]!) ** 2 / n;
    expect(trace).toBeCloseTo(spread, 9);
  });

  it('is zero for identical rows', () => {
    const data = new Float32Array(40).fill(2.5);
    expect(Array.from(covariance(data, 10, 4)).every((v) => Math.abs(v) < 1e-12)).toBe(true);
  });

  it('rejects NaN values, wrong lengths, a mean of the wrong size and unknown options', () => {
    const data = randomRows(10, 4, 1);
    const withNaN = Float32Array.from(data);
    withNaN[17] = Number.NaN;
    expect(() => covariance(withNaN, 10, 4)).toThrow(/row 4 holds NaN at dimension 1/);
    expect(() => covariance(data, 11, 4)).toThrow(InvalidArgumentError);
    expect(() => covariance(data, 10, 4, { mean: [0, 0, 0] })).toThrow(DimensionMismatchError);
    expect(() => secondMoment(data, 10, 4, { mean: [0, 0, 0, 0] } as object)).toThrow(
      /unknown option "mean"/,
    );
    expect(() => covariance(data, 10, 4, { rowScales: new Float64Array(3) })).toThrow(
      /rowScales has 3 values/,
    );
  });
});
