import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, TopK } from '../src/search/top-k.ts';

/** The specification: sort every (distance, id) pair by distance, then id, and keep the first k. */
function sortThenSlice(
  distances: number[],
  ids: number[],
  k: number,
): { ids: number[]; distances: number[] } {
  const order = ids.map((_, i) => i).sort((a, b) => compare(distances[a]!, ids[a]!, distances[b]!, ids[b]!));
  const kept = order.slice(0, k);
  return { ids: kept.map((i) => ids[i]!), distances: kept.map((i) => distances[i]!) };
}

/** Candidates whose distances come from a handful of values, so ties are the rule, in any id order. */
const candidatesArbitrary = fc
  .record({
    distinctDistances: fc.array(fc.double({ min: -10, max: 10, noNaN: true }), {
      minLength: 1,
      maxLength: 4,
    }),
    picks: fc.array(fc.nat(), { maxLength: 200 }),
    shuffleSeed: fc.integer(),
  })
  .map(({ distinctDistances, picks, shuffleSeed }) => {
    const ids = picks.map((_, i) => i);
    let state = shuffleSeed >>> 0;
    for (let i = ids.length - 1; i > 0; i--) {
      state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
      const j = state % (i + 1);
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    const distances = picks.map((p) => distinctDistances[p % distinctDistances.length]!);
    return { ids, distances };
  });

describe('TopK', () => {
  it('keeps what sort-then-slice keeps, ties broken by the lower id', () => {
    fc.assert(
      fc.property(candidatesArbitrary, fc.integer({ min: 1, max: 220 }), ({ ids, distances }, k) => {
        const top = new TopK(k);
        for (let i = 0; i < ids.length; i++) top.push(distances[i]!, ids[i]!);
        expect(top.result()).toEqual(sortThenSlice(distances, ids, k));
        expect(top.size).toBe(Math.min(k, ids.length));
      }),
      { seed: 424_242, numRuns: 500 },
    );
  });

  it('returns every candidate, nearest first, when topK exceeds their number', () => {
    const top = new TopK(10);
    for (const [id, d] of [3, 1, 2, 1].entries()) top.push(d, id);
    expect(top.result()).toEqual({ ids: [1, 3, 2, 0], distances: [1, 1, 2, 3] });
  });

  it('prefers the lower id among equal distances whatever the arrival order', () => {
    const top = new TopK(2);
    for (const id of [9, 4, 7, 1, 8]) top.push(0.5, id);
    expect(top.result().ids).toEqual([1, 4]);
  });

  it('never admits a NaN distance', () => {
    const top = new TopK(3);
    expect(top.push(Number.NaN, 0)).toBe(false);
    top.push(1, 1);
    expect(top.result()).toEqual({ ids: [1], distances: [1] });
  });

  it('reports the distance to beat: Infinity until full, then the k-th best', () => {
    const top = new TopK(2);
    expect(top.worstDistance).toBe(Number.POSITIVE_INFINITY);
    top.push(5, 0);
    top.push(3, 1);
    expect(top.worstDistance).toBe(5);
    expect(top.push(6, 2)).toBe(false);
    expect(top.push(4, 3)).toBe(true);
    expect(top.worstDistance).toBe(4);
  });

  it('keeps nothing when k is 0, and starts over after clear', () => {
    const none = new TopK(0);
    expect(none.push(1, 1)).toBe(false);
    expect(none.result()).toEqual({ ids: [], distances: [] });
    const top = new TopK(2);
    top.push(1, 1);
    top.clear();
    expect(top.size).toBe(0);
    top.push(2, 2);
    expect(top.result().ids).toEqual([2]);
  });
});
