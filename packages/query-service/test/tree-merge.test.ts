import type { TreeResponse } from '@squash/contracts';
import { describe, expect, it } from 'vitest';
import { mergeHits, mergeResponses } from '../src/tree-merge.ts';

describe('merging tree responses', () => {
  it('keeps the topK nearest per query, ties broken by the lower row, without duplicates', () => {
    const a = [
      { id: 'a', row: 5, distance: 1 },
      { id: 'b', row: 9, distance: 3 },
    ];
    const b = [
      { id: 'c', row: 2, distance: 1 },
      { id: 'a', row: 5, distance: 1 },
      { id: 'd', row: 7, distance: 2 },
    ];
    expect(mergeHits([a, b], 3).map((h) => h.row)).toEqual([2, 5, 7]);
    expect(mergeHits([a, b], 10).map((h) => h.row)).toEqual([2, 5, 7, 9]);
  });

  it('sums counters and keeps one fault per partition, the first reported', () => {
    const r = (failed: number[], invocations: number): TreeResponse => ({
      hits: [[]],
      searched: [],
      faults: failed.map((partition) => ({ partition, reason: 'CRASHED', message: `from ${invocations}` })),
      invocations,
      coldStarts: 1,
      bytesRead: 100,
    });
    const merged = mergeResponses([r([3, 1], 2), r([1], 5)], [10]);
    expect(merged.faults.map((f) => [f.partition, f.message])).toEqual([
      [1, 'from 2'],
      [3, 'from 2'],
    ]);
    expect(merged.invocations).toBe(7);
    expect(merged.coldStarts).toBe(2);
    expect(merged.bytesRead).toBe(200);
  });
});
