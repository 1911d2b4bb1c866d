/**
 * Where each dimension's code sits in a vector's bit string. Dimension j owns bits
 * `bitOffsets[j] .. bitOffsets[j] + bitsPerDim[j] - 1` of the concatenated per-vector bit string
 * (dimensions in order, each code most significant bit first); bit p of the string is bit
 * `7 - p % 8` of code byte `p >> 3`. Bytes are stored segment-major (see `packCodes`).
 */
import type { Metric } from '../distance/metric.ts';

export interface OsqCodeLayout {
  /** Bits of each dimension's code, 0..8. */
  readonly bitsPerDim: Uint8Array;
  /** d values: first bit of each dimension in the per-vector bit string. */
  readonly bitOffsets: Uint32Array;
  /** Sum of `bitsPerDim`. */
  readonly totalBits: number;
  /** ceil(totalBits / 8): code bytes per vector, and the number of segments. */
  readonly bytesPerVector: number;
}

/**
 * A trained OSQ quantizer for one partition (SQUASH, Oakley & Ferhatosmanoglu 2025, after the
 * VA+-file of Ferhatosmanoglu et al. 2000): a KLT rotation, a greedy bit allocation and a
 * non-uniform (Lloyd-Max) scalar quantizer per rotated dimension.
 *
 * A plain object of typed arrays and numbers, so it can be stored and restored field by field.
 *
 * Transformed coordinates: z = (y - mean) R (y the row, or for `cosine` the row scaled to unit
 * length), where column j of R (`rotation[i * dim + j]`) is the
 * covariance eigenvector of the j-th largest eigenvalue. R is orthonormal, so squared L2
 * distances in z equal those in y.
 *
 * Cells: dimension j has `2^bitsPerDim[j]` cells (one cell when it has 0 bits). Its cell c covers
 * `[edge_c, edge_{c+1})` with edges `boundaries[cellOffsets[j] + j + c]`; the first edge is the
 * training minimum and the last the training maximum (both rounded outward to float32), the inner
 * edges are the Lloyd decision thresholds. A value x is coded as the number of inner edges <= x.
 * Bounds on distances (see `prepareOsqQuery`) hold for every encoded vector whose transformed
 * values lie in [first edge, last edge] of every dimension: always true for the rows the quantizer
 * was trained on, not guaranteed for other vectors encoded later (their codes are still usable
 * for ADC ranking).
 */
export interface OsqQuantizer {
  /**
   * The metric it was trained for. `l2` and `ip` quantizers are identical and serve both metrics;
   * a `cosine` quantizer was trained and encodes on unit-length rows and serves `cosine` only.
   */
  readonly metric: Metric;
  /** d, dimension of the (LeanVec-reduced) vectors. */
  readonly dim: number;
  /** Mean of the training rows (d values; of the unit-length rows for `cosine`). */
  readonly mean: Float32Array;
  /** R: d x d row-major, orthonormal; column j is the eigenvector of the j-th largest eigenvalue. */
  readonly rotation: Float32Array;
  /** Variance of each transformed dimension over the training rows (the covariance eigenvalues). */
  readonly variances: Float32Array;
  readonly layout: OsqCodeLayout;
  /** d + 1 values: dimension j's cells are `cellOffsets[j] .. cellOffsets[j + 1] - 1`. */
  readonly cellOffsets: Uint32Array;
  /** cells + 1 edges per dimension (see above): dimension j starts at `cellOffsets[j] + j`. */
  readonly boundaries: Float32Array;
  /** One representative (reconstruction value, the training mean of the cell) per cell. */
  readonly representatives: Float32Array;
  /** Number of leading transformed dimensions that carry a 1-bit sign code (0 = no binary code). */
  readonly binaryDims: number;
  /** ceil(binaryDims / 32): Uint32 words of binary code per vector. */
  readonly binaryWordsPerVector: number;
  /**
   * Mean over training rows of the squared distance between a row and its reconstruction (the
   * representatives of its cells), in squared distance units. ADC estimates are low by about this
   * much on average; add it when comparing ADC estimates across partitions.
   */
  readonly meanSquaredError: number;
}

/** Codes of n vectors produced by `encodeOsq`. */
export interface OsqCodes {
  /** n x bytesPerVector, segment-major: code byte s of vector i at `s * n + i`. */
  readonly codes: Uint8Array;
  /** n x binaryWordsPerVector, vector-major: word w of vector i at `i * words + w`. */
  readonly binary: Uint32Array;
  readonly n: number;
}
