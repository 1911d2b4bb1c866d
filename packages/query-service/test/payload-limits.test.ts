import {
  MAX_SYNC_PAYLOAD_BYTES,
  type ProcessorRequest,
  type ProcessorUnit,
  type TreeResponse,
  type WireQuery,
} from '@squash/contracts';
import { buildIndex } from '@squash/core';
import { describe, expect, it } from 'vitest';
import { syntheticClusters } from '../../../test/support/synthetic.ts';
import { InvokeError, type Invoker } from '../src/invoker.ts';
import { runUnits } from '../src/tree-executor.ts';
import { inProcessTree } from './support/in-process-tree.ts';

const data = syntheticClusters({ n: 5000, dim: 8, nq: 100, clusters: 12, seed: 21 });
const index = buildIndex(data.base, data.n, data.dim, {
  metric: 'l2',
  attributes: data.attributes,
  partitions: 4,
});
const vectors = Array.from({ length: data.nq }, (_, q) =>
  Array.from(data.queries.subarray(q * data.dim, (q + 1) * data.dim)),
);

const refused = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as { code?: string; message?: string },
  );
  return error;
};

describe('payload limits', () => {
  it('answers a batch of 100 queries with topK 1000 whole, equal to the engine and to single queries', async () => {
    const tree = await inProcessTree(index, { processors: 4, branching: 2 });
    const batch = await tree.coordinator.batch(
      'idx',
      { queries: vectors.map((vector) => ({ vector, topK: 1000 })) },
      'big',
    );
    // The answer is over 5 MB: it fits the 6 MB limit only because every node's share was planned.
    expect(JSON.stringify(batch).length).toBeGreaterThan(4_000_000);
    expect(Buffer.byteLength(JSON.stringify(JSON.stringify(batch)))).toBeLessThan(MAX_SYNC_PAYLOAD_BYTES);
    batch.results.forEach((result, q) => {
      expect(result.complete).toBe(true);
      const engine = index.search(new Float32Array(vectors[q]!), { topK: 1000 });
      expect(result.matches.map((m) => Number(m.id))).toEqual(engine.ids);
    });
    for (const q of [0, 37, 99]) {
      const single = await tree.coordinator.query('idx', { vector: vectors[q]!, topK: 1000 }, 'single');
      expect(single.matches).toEqual(batch.results[q]!.matches);
    }
  });

  it('answers the largest batch, 1000 queries with topK 100, whole and equal to the engine', async () => {
    const many = syntheticClusters({ n: 5000, dim: 8, nq: 1000, clusters: 12, seed: 21 });
    const tree = await inProcessTree(index, { processors: 4, branching: 2 });
    const queries = Array.from({ length: 1000 }, (_, q) => ({
      vector: Array.from(many.queries.subarray(q * data.dim, (q + 1) * data.dim)),
      topK: 100,
    }));
    const batch = await tree.coordinator.batch('idx', { queries }, 'largest');
    // As the Lambda result carries it (the body a JSON string), the answer fits the limit.
    expect(Buffer.byteLength(JSON.stringify(JSON.stringify(batch)))).toBeLessThan(MAX_SYNC_PAYLOAD_BYTES);
    batch.results.forEach((result, q) => {
      expect(result.complete).toBe(true);
      const engine = index.search(new Float32Array(queries[q]!.vector), { topK: 100 });
      expect(result.matches.map((m) => Number(m.id))).toEqual(engine.ids);
    });
  });

  it('refuses with 400 ANSWER_TOO_LARGE, before any invocation, a batch whose answer cannot fit', async () => {
    const tree = await inProcessTree(index);
    const withAttributes = vectors.map((vector) => ({ vector, topK: 1000, include: ['attributes'] }));
    const largest = Array.from({ length: 1000 }, (_, q) => ({
      vector: vectors[q % vectors.length]!,
      topK: 1000,
    }));
    for (const queries of [withAttributes, largest]) {
      const error = await refused(tree.coordinator.batch('idx', { queries }, 'too-large'));
      expect(error?.code).toBe('ANSWER_TOO_LARGE');
      expect(error?.message).toMatch(/could take \d+ bytes .* at most \d+ bytes, about \d+ matches/);
    }
    expect(tree.invocations.size).toBe(0);
  });

  it('answers 10 queries with topK 1000 and include: ["attributes"] whole', async () => {
    const tree = await inProcessTree(index, { processors: 4 });
    const queries = vectors.slice(0, 10).map((vector) => ({ vector, topK: 1000, include: ['attributes'] }));
    const batch = await tree.coordinator.batch('idx', { queries }, 'attrs');
    for (const result of batch.results) {
      expect(result.complete).toBe(true);
      expect(result.matches).toHaveLength(1000);
      expect(result.matches[0]!.attributes).toHaveProperty('label');
    }
  });
});

describe('a child answer over the invocation limit', () => {
  it('is asked for again with half the queries at a time until each answer fits', async () => {
    const queries: WireQuery[] = Array.from({ length: 8 }, (_, q) => ({
      vector: [q],
      reduced: [q],
      topK: 1,
    }));
    const sizes: number[] = [];
    const invoker: Invoker = {
      async invoke(name, payload) {
        const request = payload as ProcessorRequest;
        sizes.push(request.queries.length);
        if (request.queries.length > 2) {
          throw new InvokeError('function', name, 'Function.ResponseSizeTooLarge: too large', {
            errorType: 'Function.ResponseSizeTooLarge',
          });
        }
        return {
          hits: request.queries.map((q) => [{ id: String(q.vector[0]), row: q.vector[0]!, distance: 0 }]),
          searched: request.work.map((w) => ({ partition: w.partition, queries: w.queries })),
          faults: [],
          invocations: 1,
          coldStarts: 0,
          bytesRead: 0,
        } satisfies TreeResponse;
      },
    };
    const units: ProcessorUnit[] = [
      { functionName: 'p', work: [{ partition: 0, queries: [0, 1, 2, 3, 4, 5, 6, 7] }] },
    ];
    const response = await runUnits(
      units,
      {
        requestId: 'r',
        index: 'i',
        version: 'v',
        indexUri: 'memory://i',
        queries,
        branching: 8,
        fanoutFunction: 'fanout',
        invokeTimeoutMs: 1000,
        deadlineMarginMs: 50,
        deadline: Date.now() + 5000,
        depth: 0,
      },
      invoker,
    );
    expect(response.faults).toEqual([]);
    expect(response.hits.map((h) => h[0]!.row)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(sizes).toEqual([8, 4, 4, 2, 2, 2, 2]);
  });
});
