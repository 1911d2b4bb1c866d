import type { TreeResponse, WireQuery, WorkItem } from '@squash/contracts';
import { describe, expect, it } from 'vitest';
import { chunkQueries } from '../src/payload-chunks.ts';

describe('payload splitting', () => {
  const queries: WireQuery[] = Array.from({ length: 50 }, (_, q) => ({
    vector: Array.from({ length: 784 }, (_, j) => (q * 31 + j) / 7),
    reduced: Array.from({ length: 64 }, (_, j) => j / 3),
    topK: 10,
  }));
  const work: WorkItem[] = [0, 1, 2].map((partition) => ({
    partition,
    queries: queries.map((_, q) => q).filter((q) => q % (partition + 1) === 0),
  }));

  it('keeps every chunk under the byte budget and every query in exactly one chunk', () => {
    const budget = 60_000;
    const chunks = chunkQueries(queries, work, budget);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      const bytes = JSON.stringify({ queries: chunk.queries, work: chunk.work }).length;
      expect(bytes).toBeLessThanOrEqual(budget);
    }
    expect(chunks.reduce((s, c) => s + c.queries.length, 0)).toBe(queries.length);
  });

  it('maps a chunk response back to the batch numbering', () => {
    const chunks = chunkQueries(queries, work, 60_000);
    const second = chunks[1]!;
    const response: TreeResponse = {
      hits: second.queries.map((_, i) => [{ id: String(i), row: i, distance: i }]),
      searched: second.work.map((w) => ({ partition: w.partition, queries: w.queries })),
      faults: [],
      invocations: 1,
      coldStarts: 0,
      bytesRead: 0,
    };
    const mapped = second.expand(response, queries.length);
    const first = chunks[0]!.queries.length;
    expect(mapped.hits[first]).toEqual([{ id: '0', row: 0, distance: 0 }]);
    expect(mapped.hits[0]).toEqual([]);
    expect(mapped.searched[0]!.queries[0]).toBe(first);
  });

  it('keeps a single query whole even when it alone exceeds the budget', () => {
    const chunks = chunkQueries(queries.slice(0, 2), [{ partition: 0, queries: [0, 1] }], 100);
    expect(chunks).toHaveLength(2);
  });
});
