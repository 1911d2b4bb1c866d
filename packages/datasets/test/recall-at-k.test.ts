import { InvalidArgumentError } from '@squash/core';
import { describe, expect, it } from 'vitest';
import { recallAtK } from '../src/index.ts';

// Five 1-D base points; base 1 and base 2 are equally far from the query at 0 (a tie).
const base = Float32Array.of(0, 1, -1, 3, 10);
const queries = Float32Array.of(0);
const groundTruth = Int32Array.of(0, 1, 2, 3, 4);
const args = { base, dim: 1, metric: 'l2' as const, queries, groundTruth, gtK: 5 };

describe('recallAtK', () => {
  it('returns 1 for the exact neighbours', () => {
    expect(recallAtK({ ...args, resultIds: [[0, 1, 2]], k: 3 })).toBe(1);
  });

  it('counts an id tied with the k-th true neighbour as a hit', () => {
    // True top-2 is [0, 1]; id 2 has the same distance as id 1.
    expect(recallAtK({ ...args, resultIds: [[0, 2]], k: 2 })).toBe(1);
  });

  it('counts ids farther than the k-th true neighbour as misses', () => {
    expect(recallAtK({ ...args, resultIds: [[0, 3]], k: 2 })).toBe(0.5);
  });

  it('scores missing entries of a short list and repeated ids as misses', () => {
    expect(recallAtK({ ...args, resultIds: [[0]], k: 2 })).toBe(0.5);
    expect(recallAtK({ ...args, resultIds: [[0, 0]], k: 2 })).toBe(0.5);
  });

  it('scores only the first k returned ids', () => {
    expect(recallAtK({ ...args, resultIds: [[4, 0, 1]], k: 2 })).toBe(0.5);
  });

  it('averages over queries', () => {
    const two = {
      ...args,
      queries: Float32Array.of(0, 10),
      groundTruth: Int32Array.of(0, 1, 2, 3, 4, 4, 3, 1, 0, 2),
    };
    expect(recallAtK({ ...two, resultIds: [[0], [0]], k: 1 })).toBe(0.5);
  });

  it('uses cosine distance when asked, where scaled copies tie', () => {
    const b = Float32Array.of(1, 0, 2, 0, 0, 1);
    const common = { base: b, dim: 2, metric: 'cosine' as const, queries: Float32Array.of(3, 0), gtK: 3 };
    // ids 0 and 1 point the same way as the query: both at cosine distance 0.
    expect(recallAtK({ ...common, groundTruth: Int32Array.of(0, 1, 2), resultIds: [[1]], k: 1 })).toBe(1);
    expect(recallAtK({ ...common, groundTruth: Int32Array.of(0, 1, 2), resultIds: [[2]], k: 1 })).toBe(0);
  });

  it('rejects k above gtK, a wrong number of lists and out-of-range ids', () => {
    expect(() => recallAtK({ ...args, resultIds: [[0]], k: 6 })).toThrow(InvalidArgumentError);
    expect(() => recallAtK({ ...args, resultIds: [], k: 1 })).toThrow(InvalidArgumentError);
    expect(() => recallAtK({ ...args, resultIds: [[9]], k: 1 })).toThrow(InvalidArgumentError);
  });
});
