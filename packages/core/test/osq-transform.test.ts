import { describe, expect, it } from 'vitest';
import { fitOsqTransformImpl, transformRowImpl } from '../src/osq/osq-transform.ts';
import { trainOsq } from '../src/osq/train-osq.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

/**
 * n rows of correlated Gaussian data: independent N(0, scale_k^2) latents mixed by a random
 * (non-symmetric) matrix and shifted, so the KLT has real work to do and R differs from R^T.
 */
function correlatedRows(seed: number, n: number, dim: number): Float32Array {
  const random = new SeededRandom(seed);
  const mix = Float64Array.from({ length: dim * dim }, () => random.nextGaussian());
  const shift = Float64Array.from({ length: dim }, () => 10 * random.nextGaussian());
  const data = new Float32Array(n * dim);
  const latent = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < dim; k++) latent[k] = random.nextGaussian() * 2 ** (-k / 2);
    for (let j = 0; j < dim; j++) {
      let value = shift[j]!;
      for (let k = 0; k < dim; k++) value += latent[k]! * mix[k * dim + j]!;
      data[i * dim + j] = value;
    }
  }
  return data;
}

/** Population covariance (float64) of the transformed rows. */
function transformedCovariance(data: Float32Array, n: number, dim: number): Float64Array {
  const { mean, rotation } = fitOsqTransformImpl(data, n, dim);
  const rows = new Float64Array(n * dim);
  const z = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    transformRowImpl(rotation, mean, dim, data, i * dim, z);
    rows.set(z, i * dim);
  }
  const cov = new Float64Array(dim * dim);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < dim; a++) {
      for (let b = 0; b < dim; b++)
        cov[a * dim + b] = cov[a * dim + b]! + rows[i * dim + a]! * rows[i * dim + b]!;
    }
  }
  return cov.map((value) => value / n);
}

describe('OSQ transform (KLT)', () => {
  const n = 4000;
  const dim = 12;
  const data = correlatedRows(7, n, dim);

  it('decorrelates the dimensions and gives them the eigenvalues as variances, largest first', () => {
    const { eigenvalues } = fitOsqTransformImpl(data, n, dim);
    const cov = transformedCovariance(data, n, dim);
    const largest = eigenvalues[0]!;
    for (let a = 0; a < dim; a++) {
      expect(cov[a * dim + a]!).toBeCloseTo(eigenvalues[a]!, 3);
      expect(Math.abs(cov[a * dim + a]! - eigenvalues[a]!)).toBeLessThan(1e-5 * largest);
      if (a > 0) expect(eigenvalues[a]!).toBeLessThanOrEqual(eigenvalues[a - 1]!);
      for (let b = 0; b < dim; b++) {
        if (a !== b) expect(Math.abs(cov[a * dim + b]!)).toBeLessThan(1e-5 * largest);
      }
    }
  });

  it('has an orthonormal rotation, so squared distances are unchanged', () => {
    const { mean, rotation } = fitOsqTransformImpl(data, n, dim);
    for (let a = 0; a < dim; a++) {
      for (let b = 0; b < dim; b++) {
        let dot = 0;
        for (let i = 0; i < dim; i++) dot += rotation[i * dim + a]! * rotation[i * dim + b]!;
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 5);
      }
    }
    const za = new Float64Array(dim);
    const zb = new Float64Array(dim);
    transformRowImpl(rotation, mean, dim, data, 0, za);
    transformRowImpl(rotation, mean, dim, data, dim, zb);
    let rotated = 0;
    let original = 0;
    for (let j = 0; j < dim; j++) {
      rotated += (za[j]! - zb[j]!) ** 2;
      original += (data[j]! - data[dim + j]!) ** 2;
    }
    expect(rotated).toBeCloseTo(original, 3);
  });

  it('does not decorrelate when the rotation is applied transposed (the reference-code bug)', () => {
    const { mean, rotation, eigenvalues } = fitOsqTransformImpl(data, n, dim);
    const transposed = new Float32Array(dim * dim);
    for (let i = 0; i < dim; i++)
      for (let j = 0; j < dim; j++) transposed[j * dim + i] = rotation[i * dim + j]!;
    const z = new Float64Array(dim);
    let firstVariance = 0;
    for (let i = 0; i < n; i++) {
      transformRowImpl(transposed, mean, dim, data, i * dim, z);
      firstVariance += z[0]! ** 2 / n;
    }
    expect(Math.abs(firstVariance - eigenvalues[0]!)).toBeGreaterThan(0.01 * eigenvalues[0]!);
  });

  it('stores the transformed variances in descending order on the trained quantizer', () => {
    const quantizer = trainOsq(data, n, dim);
    const { eigenvalues } = fitOsqTransformImpl(data, n, dim);
    for (let j = 0; j < dim; j++) {
      expect(quantizer.variances[j]!).toBeCloseTo(eigenvalues[j]!, 2);
      if (j > 0)
        expect(quantizer.variances[j]!).toBeLessThanOrEqual(quantizer.variances[j - 1]! * (1 + 1e-6));
    }
  });
});
