import { buildIndex, type Metric, resolveSearchParameters } from '@squash/core';
import { describe, expect, it } from 'vitest';
import { syntheticClusters } from '../../../test/support/synthetic.ts';
import { runSearchBackendSuite } from '../../core/test/search-backend-suite.ts';
import type { QueryRecord } from '../src/coordinator-service.ts';
import { inProcessTree } from './support/in-process-tree.ts';

const PARTITIONS = (n: number) => Math.max(1, Math.min(6, Math.floor(n / 8)));

// The serverless path (coordinator -> fan-out nodes -> processors, payloads through JSON) passes
// the same cases as the exact index and the in-process engine.
runSearchBackendSuite(
  'serverless coordinator over the fan-out tree',
  {
    build: async (vectors, n, dim, metric, attributes) => {
      const index = buildIndex(vectors, n, dim, { metric, attributes, partitions: PARTITIONS(n) });
      const { coordinator } = await inProcessTree(index);
      return {
        search: async (query, options) => {
          const answer = await coordinator.query(
            'idx',
            { vector: Array.from(query), topK: options.topK ?? 10, filter: options.filter },
            'req',
          );
          expect(answer.complete).toBe(true);
          return {
            ids: answer.matches.map((m) => Number(m.id)),
            distances: answer.matches.map((m) => m.distance),
          };
        },
      };
    },
  },
  0.95,
);

describe('the engine and the serverless path', () => {
  const data = syntheticClusters({ n: 4000, dim: 16, nq: 12, clusters: 10, seed: 11 });
  const filters: unknown[] = [
    undefined,
    { label: 4 },
    { color: { $in: ['red', 'blue'] }, active: true },
    { price: { $gte: 10, $lt: 30 } },
    { $or: [{ label: 1 }, { price: { $exists: false } }] },
    { label: 42 },
  ];

  for (const metric of ['l2', 'cosine', 'ip'] as Metric[]) {
    it(`give identical ids and distances for every filter (${metric}, single and batch)`, async () => {
      const index = buildIndex(data.base, data.n, data.dim, {
        metric,
        attributes: data.attributes,
        partitions: 6,
      });
      const { coordinator } = await inProcessTree(index, { parameters: resolveSearchParameters() });
      for (const filter of filters) {
        const queries = Array.from({ length: data.nq }, (_, q) =>
          data.queries.subarray(q * data.dim, (q + 1) * data.dim),
        );
        const batch = await coordinator.batch(
          'idx',
          {
            queries: queries.map((v) => ({
              vector: Array.from(v),
              topK: 7,
              ...(filter === undefined ? {} : { filter }),
            })),
          },
          'batch',
        );
        for (let q = 0; q < queries.length; q++) {
          const engine = index.search(queries[q]!, { topK: 7, filter });
          const single = await coordinator.query(
            'idx',
            { vector: Array.from(queries[q]!), topK: 7, ...(filter === undefined ? {} : { filter }) },
            'single',
          );
          for (const answer of [single, batch.results[q]!]) {
            expect(answer.complete).toBe(true);
            expect(answer.matches.map((m) => Number(m.id))).toEqual(engine.ids);
            answer.matches.forEach((m, j) => {
              expect(m.distance).toBeCloseTo(engine.distances[j]!, 4);
            });
          }
        }
      }
    });
  }
});

describe('the coordinator metrics hook', () => {
  it('reports each answered request once, with its usage', async () => {
    const data = syntheticClusters({ n: 2000, dim: 8, nq: 3, clusters: 4, seed: 2 });
    const index = buildIndex(data.base, data.n, data.dim, {
      metric: 'l2',
      attributes: data.attributes,
      partitions: 4,
    });
    const records: QueryRecord[] = [];
    const { coordinator } = await inProcessTree(index, { onQuery: (record) => records.push(record) });
    const vector = Array.from(data.queries.subarray(0, data.dim));
    const single = await coordinator.query('idx', { vector, topK: 5 }, 'one');
    await coordinator.batch('idx', { queries: [{ vector }, { vector, filter: { label: 3 } }] }, 'two');
    expect(records.map((r) => [r.index, r.queries, r.incomplete])).toEqual([
      ['idx', 1, 0],
      ['idx', 2, 0],
    ]);
    expect(records[0]!.usage).toEqual(single.usage);
  });
});
