import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DimensionMismatchError, InvalidArgumentError } from '../src/errors/index.ts';
import {
  type FitLeanVecOptions,
  fitLeanVec,
  innerProductLoss,
  type LeanVecModel,
  projectData,
  projectQuery,
  reconstructionError,
} from '../src/leanvec/index.ts';
import {
  meanRows,
  multiplyMatrices,
  secondMoment,
  symmetricEigen,
  thinQr,
  transposeMatrix,
} from '../src/linalg/index.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

/** A random dim x dim rotation (orthonormal columns), seeded. */
function randomRotation(dim: number, seed: number): Float64Array {
  const random = new SeededRandom(seed);
  return thinQr(
    Float64Array.from({ length: dim * dim }, () => random.nextGaussian()),
    dim,
    dim,
  ).q;
}

/** n rows x = offset + R (sigma .* g) with g standard normal: variance sigma_j^2 along column j of R. */
function anisotropicRows(
  n: number,
  sigmas: readonly number[],
  rotation: Float64Array,
  seed: number,
  offset = 0,
): Float32Array {
  const dim = sigmas.length;
  const random = new SeededRandom(seed);
  const rows = new Float32Array(n * dim);
  const g = new Float64Array(dim);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < dim; j++) g[j] = sigmas[j]! * random.nextGaussian();
    for (let i = 0; i < dim; i++) {
      let value = offset;
      for (let j = 0; j < dim; j++) value += rotation[i * dim + j]! * g[j]!;
      rows[k * dim + i] = value;
    }
  }
  return rows;
}

/** Geometric spectrum: sigma_j = 4 * 0.75^j. */
const SIGMAS_16 = Array.from({ length: 16 }, (_, j) => 4 * 0.75 ** j);
const ROTATION_16 = randomRotation(16, 99);
const DATA_16 = anisotropicRows(600, SIGMAS_16, ROTATION_16, 1, 2);

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** max |P^T P - I| for a D x d row-major P. */
function orthonormalityGap(p: Float32Array, dim: number, d: number): number {
  const ptp = multiplyMatrices(transposeMatrix(p, dim, d), d, dim, p, d);
  let worst = 0;
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) worst = Math.max(worst, Math.abs(ptp[i * d + j]! - (i === j ? 1 : 0)));
  return worst;
}

/** ||Q (I - A B^T) X^T||_F^2 / (m n), pair by pair, in float64 (cosine: unit rows first). */
function directLoss(
  model: LeanVecModel,
  queries: Float32Array,
  m: number,
  data: Float32Array,
  n: number,
): number {
  const dim = model.inputDim;
  const unit = (rows: Float32Array, k: number): Float32Array => {
    const row = rows.slice(k * dim, (k + 1) * dim);
    if (model.metric !== 'cosine') return row;
    const norm = Math.hypot(...row);
    return norm === 0 ? row : row.map((v) => v / norm);
  };
  const zs = Array.from({ length: m }, (_, k) =>
    projectQuery(model, queries.subarray(k * dim, (k + 1) * dim)),
  );
  const ys = projectData(model, data, n);
  let sum = 0;
  for (let a = 0; a < m; a++) {
    const q = unit(queries, a);
    for (let b = 0; b < n; b++) {
      const x = unit(data, b);
      let exact = 0;
      for (let i = 0; i < dim; i++) exact += q[i]! * x[i]!;
      let reduced = 0;
      for (let j = 0; j < model.outputDim; j++) reduced += zs[a]![j]! * ys[b * model.outputDim + j]!;
      sum += (exact - reduced) ** 2;
    }
  }
  return sum / (m * n);
}

describe('fitLeanVec (LeanVec-ID)', () => {
  it.for(['l2', 'ip', 'cosine'] as const)('returns orthonormal projection columns for %s', (metric) => {
    const model = fitLeanVec(DATA_16, 600, 16, { metric, outputDim: 5 });
    expect(model.kind).toBe('id');
    expect(model.dataProjection.length).toBe(16 * 5);
    expect(model.queryProjection).toBe(model.dataProjection);
    expect(orthonormalityGap(model.dataProjection, 16, 5)).toBeLessThan(1e-6);
  });

  it('spans the directions of largest variance for l2', () => {
    const model = fitLeanVec(DATA_16, 600, 16, { metric: 'l2', outputDim: 3 });
    // ||P^T R_{:,0:3}||_F^2 is 3 when span(P) equals the top-3 axes of the generator.
    const top = new Float64Array(16 * 3);
    for (let i = 0; i < 16; i++) for (let j = 0; j < 3; j++) top[i * 3 + j] = ROTATION_16[i * 16 + j]!;
    const overlap = multiplyMatrices(transposeMatrix(model.dataProjection, 16, 3), 3, 16, top, 3);
    expect(overlap.reduce((sum, v) => sum + v * v, 0)).toBeGreaterThan(2.9);
  });

  it.for(['l2', 'ip', 'cosine'] as const)(
    'loses less of the data as outputDim grows and nothing at D (%s)',
    (metric) => {
      const errors = [1, 2, 4, 8, 12, 16].map((outputDim) =>
        reconstructionError(fitLeanVec(DATA_16, 600, 16, { metric, outputDim }), DATA_16, 600),
      );
      for (let i = 1; i < errors.length; i++) expect(errors[i]!).toBeLessThan(errors[i - 1]!);
      expect(errors.at(-1)!).toBeLessThan(1e-6);
    },
  );

  it('loses exactly the discarded eigenvalue share of the second moment (ip)', () => {
    const moment = secondMoment(DATA_16, 600, 16);
    const { values } = symmetricEigen(moment, 16);
    const total = values.reduce((sum, v) => sum + v, 0);
    const discarded = values.slice(4).reduce((sum, v) => sum + v, 0);
    const model = fitLeanVec(DATA_16, 600, 16, { metric: 'ip', outputDim: 4 });
    expect(reconstructionError(model, DATA_16, 600)).toBeCloseTo(discarded / total, 6);
  });

  it('centres data and queries on the mean for l2', () => {
    const model = fitLeanVec(DATA_16, 600, 16, { metric: 'l2', outputDim: 4 });
    const mean = meanRows(DATA_16, 600, 16);
    expect(maxAbsDifference(model.mean!, mean)).toBe(0);
    const rows = DATA_16.subarray(0, 3 * 16);
    const projected = projectData(model, rows, 3);
    for (let k = 0; k < 3; k++) {
      const row = rows.subarray(k * 16, (k + 1) * 16);
      const expected = Array.from({ length: 4 }, (_, j) => {
        let sum = 0;
        for (let i = 0; i < 16; i++) sum += (row[i]! - mean[i]!) * model.dataProjection[i * 4 + j]!;
        return sum;
      });
      expect(maxAbsDifference(projected.subarray(k * 4, (k + 1) * 4), expected)).toBeLessThan(1e-5);
      expect(maxAbsDifference(projectQuery(model, row), expected)).toBeLessThan(1e-5);
    }
  });

  it('keeps distances for l2: reduced squared distances approach the full ones as d grows', () => {
    const pairs = 200;
    const relativeGap = (outputDim: number): number => {
      const model = fitLeanVec(DATA_16, 600, 16, { metric: 'l2', outputDim });
      const y = projectData(model, DATA_16, 600);
      let full = 0;
      let reduced = 0;
      for (let k = 0; k < pairs; k++) {
        for (let i = 0; i < 16; i++) full += (DATA_16[k * 16 + i]! - DATA_16[(k + 300) * 16 + i]!) ** 2;
        for (let j = 0; j < outputDim; j++)
          reduced += (y[k * outputDim + j]! - y[(k + 300) * outputDim + j]!) ** 2;
      }
      return (full - reduced) / full;
    };
    const gaps = [2, 6, 12].map(relativeGap);
    expect(gaps[0]!).toBeGreaterThan(gaps[1]!);
    expect(gaps[1]!).toBeGreaterThan(gaps[2]!);
    expect(gaps[2]!).toBeLessThan(0.01);
  });

  it('uses no mean for ip and cosine, and normalises rows for cosine', () => {
    const ip = fitLeanVec(DATA_16, 600, 16, { metric: 'ip', outputDim: 4 });
    const cosine = fitLeanVec(DATA_16, 600, 16, { metric: 'cosine', outputDim: 4 });
    expect(ip.mean).toBeNull();
    expect(cosine.mean).toBeNull();
    const row = DATA_16.subarray(0, 16);
    const scaled = row.map((v) => v * 7.5);
    expect(maxAbsDifference(projectQuery(cosine, scaled), projectQuery(cosine, row))).toBeLessThan(1e-6);
    expect(
      maxAbsDifference(
        projectQuery(ip, scaled),
        projectQuery(ip, row).map((v) => v * 7.5),
      ),
    ).toBeLessThan(1e-4);
    expect(Array.from(projectQuery(cosine, new Float32Array(16)))).toEqual([0, 0, 0, 0]);
  });

  it('is deterministic for a seed and fits exactly the sampled rows', () => {
    const options: FitLeanVecOptions = { metric: 'l2', outputDim: 3, sampleRows: 100, seed: 5 };
    const first = fitLeanVec(DATA_16, 600, 16, options);
    const again = fitLeanVec(DATA_16, 600, 16, options);
    expect(again).toEqual(first);
    const ids = new SeededRandom(5).sampleIndices(600, 100);
    const subset = new Float32Array(100 * 16);
    ids.forEach((id, k) => {
      subset.set(DATA_16.subarray(id * 16, (id + 1) * 16), k * 16);
    });
    expect(fitLeanVec(subset, 100, 16, { metric: 'l2', outputDim: 3 })).toEqual(first);
    const otherSeed = fitLeanVec(DATA_16, 600, 16, { ...options, seed: 6 });
    expect(otherSeed.dataProjection).not.toEqual(first.dataProjection);
  });

  it('writes into a caller-supplied output and returns it', () => {
    const model = fitLeanVec(DATA_16, 600, 16, { metric: 'ip', outputDim: 4 });
    const out = new Float32Array(4);
    expect(projectQuery(model, DATA_16.subarray(0, 16), out)).toBe(out);
    const rowsOut = new Float32Array(8);
    expect(projectData(model, DATA_16.subarray(0, 32), 2, rowsOut)).toBe(rowsOut);
    expect(Array.from(rowsOut.subarray(0, 4))).toEqual(Array.from(out));
  });
});

describe('fitLeanVec (LeanVec-OOD)', () => {
  const QUERIES_16 = anisotropicRows(400, [...SIGMAS_16].reverse(), ROTATION_16, 2, -1);

  it('returns an orthonormal data projection and a separate query projection', () => {
    const model = fitLeanVec(DATA_16, 600, 16, {
      metric: 'ip',
      outputDim: 4,
      queries: { data: QUERIES_16, n: 400 },
    });
    expect(model.kind).toBe('ood');
    expect(model.mean).toBeNull();
    expect(orthonormalityGap(model.dataProjection, 16, 4)).toBeLessThan(1e-6);
    expect(model.queryProjection).not.toEqual(model.dataProjection);
  });

  it('reduces to LeanVec-ID when the queries are the data', () => {
    for (const metric of ['ip', 'cosine'] as const) {
      const id = fitLeanVec(DATA_16, 600, 16, { metric, outputDim: 4 });
      const ood = fitLeanVec(DATA_16, 600, 16, { metric, outputDim: 4, queries: { data: DATA_16, n: 600 } });
      expect(maxAbsDifference(ood.dataProjection, id.dataProjection)).toBeLessThan(1e-4);
      expect(maxAbsDifference(ood.queryProjection, id.dataProjection)).toBeLessThan(1e-4);
    }
  });

  it('reaches the closed-form minimum: the eigenvalues of K_Q^1/2 K_X K_Q^1/2 beyond d', () => {
    const d = 4;
    const model = fitLeanVec(DATA_16, 600, 16, {
      metric: 'ip',
      outputDim: d,
      queries: { data: QUERIES_16, n: 400 },
    });
    const kq = secondMoment(QUERIES_16, 400, 16);
    const kx = secondMoment(DATA_16, 600, 16);
    const { values, vectors } = symmetricEigen(kq, 16);
    const root = multiplyMatrices(
      vectors.map((v, index) => v * Math.sqrt(values[index % 16]!)),
      16,
      16,
      transposeMatrix(vectors, 16, 16),
      16,
    );
    const inner = multiplyMatrices(multiplyMatrices(root, 16, 16, kx, 16), 16, 16, root, 16);
    const spectrum = symmetricEigen(
      inner.map((_, i) => (inner[i]! + inner[(i % 16) * 16 + Math.floor(i / 16)]!) / 2),
      16,
    ).values;
    const minimum = spectrum.slice(d).reduce((sum, v) => sum + v, 0);
    const loss = innerProductLoss(model, QUERIES_16, 400, DATA_16, 600).meanSquaredError;
    expect(Math.abs(loss - minimum) / minimum).toBeLessThan(1e-4);
  });

  it('measures the same loss as the pairwise definition', () => {
    for (const metric of ['ip', 'cosine'] as const) {
      const model = fitLeanVec(DATA_16, 600, 16, {
        metric,
        outputDim: 3,
        queries: { data: QUERIES_16, n: 400 },
      });
      const queries = QUERIES_16.subarray(0, 40 * 16);
      const data = DATA_16.subarray(0, 70 * 16);
      const fast = innerProductLoss(model, queries, 40, data, 70).meanSquaredError;
      expect(Math.abs(fast - directLoss(model, queries, 40, data, 70)) / fast).toBeLessThan(1e-5);
    }
  });

  it('is never beaten by perturbing its projections, nor by LeanVec-ID', () => {
    const queries = { data: QUERIES_16, n: 400 };
    const model = fitLeanVec(DATA_16, 600, 16, { metric: 'ip', outputDim: 4, queries });
    const best = innerProductLoss(model, QUERIES_16, 400, DATA_16, 600).meanSquaredError;
    const id = fitLeanVec(DATA_16, 600, 16, { metric: 'ip', outputDim: 4 });
    expect(innerProductLoss(id, QUERIES_16, 400, DATA_16, 600).meanSquaredError).toBeGreaterThan(best);
    fc.assert(
      fc.property(fc.nat(10_000), fc.constantFrom('queryProjection', 'dataProjection'), (seed, which) => {
        const random = new SeededRandom(seed);
        const perturbed = model[which].map((v) => v + 0.01 * random.nextGaussian());
        const other = { ...model, [which]: perturbed };
        expect(
          innerProductLoss(other, QUERIES_16, 400, DATA_16, 600).meanSquaredError,
        ).toBeGreaterThanOrEqual(best * (1 - 1e-6));
      }),
      { seed: 3, numRuns: 30 },
    );
  });

  it('beats LeanVec-ID by far when queries come from another distribution, also on unseen queries', () => {
    // Data varies most along axes 0-7 of a rotation, queries along axes 8-11: the inner products
    // are decided by axes where data varies little, which LeanVec-ID throws away first.
    const dim = 32;
    const rotation = randomRotation(dim, 7);
    const dataSigmas = Array.from({ length: dim }, (_, j) => (j < 8 ? 3 : 0.3) * (1 - j / 64));
    const querySigmas = Array.from({ length: dim }, (_, j) => (j >= 8 && j < 12 ? 3 : 0.1) * (1 - j / 64));
    const data = anisotropicRows(2000, dataSigmas, rotation, 10);
    const train = anisotropicRows(500, querySigmas, rotation, 11);
    const unseen = anisotropicRows(100, querySigmas, rotation, 12);
    const id = fitLeanVec(data, 2000, dim, { metric: 'ip', outputDim: 4 });
    const ood = fitLeanVec(data, 2000, dim, { metric: 'ip', outputDim: 4, queries: { data: train, n: 500 } });
    for (const [queries, m] of [
      [train, 500],
      [unseen, 100],
    ] as const) {
      const idLoss = innerProductLoss(id, queries, m, data, 2000).relativeError;
      const oodLoss = innerProductLoss(ood, queries, m, data, 2000).relativeError;
      expect(oodLoss).toBeLessThan(0.4 * idLoss);
    }
    const recall = (model: LeanVecModel): number => {
      const y = projectData(model, data, 2000);
      let hits = 0;
      for (let q = 0; q < 100; q++) {
        const query = unseen.subarray(q * dim, (q + 1) * dim);
        const z = projectQuery(model, query);
        const exact = topIds(2000, 10, (k) => dot(query, 0, data, k * dim, dim));
        const approx = new Set(topIds(2000, 10, (k) => dot(z, 0, y, k * 4, 4)));
        hits += exact.filter((id) => approx.has(id)).length;
      }
      return hits / 1000;
    };
    expect(recall(ood)).toBeGreaterThan(recall(id) + 0.2);
  });
});

function dot(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, dim: number): number {
  let sum = 0;
  for (let i = 0; i < dim; i++) sum += a[aOffset + i]! * b[bOffset + i]!;
  return sum;
}

/** Ids of the `k` largest scores among 0..n-1 (ties: lower id). */
function topIds(n: number, k: number, score: (id: number) => number): number[] {
  const scores = Array.from({ length: n }, (_, id) => score(id));
  return Array.from({ length: n }, (_, id) => id)
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, k);
}

describe('fitLeanVec and projections: validation', () => {
  const data = DATA_16.subarray(0, 20 * 16);

  it('rejects outputDim outside 1..inputDim and other bad options with INVALID_ARGUMENT', () => {
    for (const outputDim of [0, 17, 2.5, Number.NaN]) {
      expect(() => fitLeanVec(data, 20, 16, { metric: 'l2', outputDim })).toThrow(
        /outputDim is .*; allowed: an integer 1\.\.16/,
      );
    }
    expect(() => fitLeanVec(data, 20, 16, { metric: 'dot' as 'ip', outputDim: 2 })).toThrow(
      /metric is "dot"/,
    );
    expect(() => fitLeanVec(data, 20, 16, { metric: 'l2', outputDim: 2, sampleRows: 0 })).toThrow(
      /sampleRows/,
    );
    expect(() => fitLeanVec(data, 20, 16, { metric: 'l2', outputDim: 2, seed: -1 })).toThrow(/seed/);
    expect(() =>
      fitLeanVec(data, 20, 16, { metric: 'l2', outputDim: 2, dims: 3 } as FitLeanVecOptions),
    ).toThrow(/unknown LeanVec option "dims"/);
  });

  it('rejects data with NaN or the wrong length, naming the row', () => {
    const bad = Float32Array.from(data);
    bad[3 * 16 + 5] = Number.NaN;
    expect(() => fitLeanVec(bad, 20, 16, { metric: 'l2', outputDim: 2 })).toThrow(
      /row 3 holds NaN at dimension 5/,
    );
    expect(() => fitLeanVec(data, 21, 16, { metric: 'l2', outputDim: 2 })).toThrow(InvalidArgumentError);
  });

  it('rejects queries with l2, of another dimension, or all zero', () => {
    const queries = { data: DATA_16.subarray(0, 10 * 16), n: 10 };
    expect(() => fitLeanVec(data, 20, 16, { metric: 'l2', outputDim: 2, queries })).toThrow(
      /'ip' and 'cosine' only/,
    );
    const narrow = { data: new Float32Array(10 * 15).fill(1), n: 10 };
    expect(() => fitLeanVec(data, 20, 16, { metric: 'ip', outputDim: 2, queries: narrow })).toThrow(
      DimensionMismatchError,
    );
    const zeros = { data: new Float32Array(10 * 16), n: 10 };
    expect(() => fitLeanVec(data, 20, 16, { metric: 'cosine', outputDim: 2, queries: zeros })).toThrow(
      /zero vector/,
    );
  });

  it('rejects projection inputs of the wrong dimension with DIMENSION_MISMATCH', () => {
    const model = fitLeanVec(data, 20, 16, { metric: 'ip', outputDim: 2 });
    expect(() => projectQuery(model, new Float32Array(15))).toThrow(DimensionMismatchError);
    expect(() => projectQuery(model, new Float32Array(15))).toThrow(
      /query vector has 15 dimensions; the LeanVec model expects 16/,
    );
    expect(() => projectData(model, new Float32Array(33), 2)).toThrow(DimensionMismatchError);
    expect(() => projectQuery(model, new Float32Array(16), new Float32Array(1))).toThrow(/out has 1 values/);
    expect(() => projectQuery(model, new Float32Array(16).fill(Number.POSITIVE_INFINITY))).toThrow(
      /Infinity/,
    );
    expect(projectData(model, new Float32Array(0), 0).length).toBe(0);
  });
});
