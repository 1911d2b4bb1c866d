import { SeededRandom } from '@squash/core';
import { describe, expect, it } from 'vitest';
import { renumberRows } from '../src/row-numbering.ts';

describe('renumberRows', () => {
  it('numbers survivors and new rows 0..count-1 once each, keeping every survivor below count in place', () => {
    const random = new SeededRandom(5);
    for (let trial = 0; trial < 200; trial++) {
      const baseCount = 1 + random.nextInt(60);
      const removed = new Set(
        Array.from({ length: random.nextInt(baseCount + 1) }, () => random.nextInt(baseCount)),
      );
      const added = random.nextInt(40);
      const n = renumberRows(baseCount, removed, added);
      expect(n.count).toBe(baseCount - removed.size + added);
      const used = [...n.baseToNew].filter((r) => r >= 0).concat([...n.newRows]);
      expect(used.sort((a, b) => a - b)).toEqual(Array.from({ length: n.count }, (_, i) => i));
      let moved = 0;
      n.baseToNew.forEach((next, row) => {
        if (removed.has(row)) expect(next).toBe(-1);
        else if (row < n.count) expect(next).toBe(row);
        else moved++;
      });
      expect(n.moved).toBe(moved);
      expect(moved).toBe(
        Math.max(0, [...Array(baseCount).keys()].filter((r) => r >= n.count && !removed.has(r)).length),
      );
    }
  });

  it('moves no survivor when the index does not shrink', () => {
    const n = renumberRows(10, new Set([2, 7]), 5);
    expect(n.moved).toBe(0);
    expect([...n.newRows]).toEqual([2, 7, 10, 11, 12]);
  });
});
