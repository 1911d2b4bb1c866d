import { describe, expect, it } from 'vitest';
import { syntheticClusters } from '../../../test/support/synthetic.ts';
import type { AttributeColumns, Metric } from '../src/index.ts';
import { cosineFromDot, dotImpl, ExactIndex, l2Impl, normImpl } from '../src/index.ts';

type Awaitable<T> = T | Promise<T>;

/**
 * What every search back end offers: exact brute force, the in-process quantized engine, and the
 * serverless coordinator over its fan-out tree (packages/query-service), which must give the
 * engine's answers for every metric and filter.
 */
export interface SearchBackend {
  search(
    query: Float32Array,
    options: { topK?: number; filter?: unknown },
  ): Awaitable<{ ids: number[]; distances: number[] }>;
}

export interface SearchBackendFactory {
  build(
    vectors: Float32Array,
    n: number,
    dim: number,
    metric: Metric,
    attributes: AttributeColumns,
  ): Awaitable<SearchBackend>;
}

function exactDistance(
  metric: Metric,
  a: Float32Array,
  b: Float32Array,
  bOffset: number,
  dim: number,
): number {
  if (metric === 'l2') return l2Impl(a, 0, b, bOffset, dim);
  const dot = dotImpl(a, 0, b, bOffset, dim);
  return metric === 'ip' ? -dot : cosineFromDot(dot, normImpl(a, 0, dim), normImpl(b, bOffset, dim));
}

/**
 * The contract every search back end passes (Hono-style shared cases): result count, order,
 * tie-break, exact distances, filter correctness, recall against brute force.
 */
export function runSearchBackendSuite(name: string, factory: SearchBackendFactory, minRecall: number): void {
  const data = syntheticClusters({ n: 6000, dim: 24, nq: 40, clusters: 12, seed: 7 });
  const exactPeers = new Map<Metric, ExactIndex>();
  const backends = new Map<Metric, Awaitable<SearchBackend>>();
  const backend = (metric: Metric): Awaitable<SearchBackend> => {
    if (!backends.has(metric))
      backends.set(metric, factory.build(data.base, data.n, data.dim, metric, data.attributes));
    return backends.get(metric)!;
  };
  const search = async (metric: Metric, q: Float32Array, options: { topK?: number; filter?: unknown }) =>
    (await backend(metric)).search(q, options);
  const exact = (metric: Metric): ExactIndex => {
    if (!exactPeers.has(metric))
      exactPeers.set(metric, new ExactIndex(metric, data.base, data.dim, data.attributes));
    return exactPeers.get(metric)!;
  };
  const query = (q: number): Float32Array => data.queries.subarray(q * data.dim, (q + 1) * data.dim);

  describe(`search back end: ${name}`, () => {
    for (const metric of ['l2', 'cosine', 'ip'] as const) {
      it(`returns topK results in ascending exact ${metric} distance`, async () => {
        for (let q = 0; q < 5; q++) {
          const result = await search(metric, query(q), { topK: 10 });
          expect(result.ids).toHaveLength(10);
          for (let j = 0; j < result.ids.length; j++) {
            const d = exactDistance(metric, query(q), data.base, result.ids[j]! * data.dim, data.dim);
            expect(result.distances[j]).toBeCloseTo(d, 3);
            if (j > 0) expect(result.distances[j]!).toBeGreaterThanOrEqual(result.distances[j - 1]!);
          }
        }
      });
    }

    it('finds the exact neighbours for most queries (recall@10 against brute force)', async () => {
      let hits = 0;
      for (let q = 0; q < data.nq; q++) {
        const truth = exact('l2').search(query(q), { topK: 10 });
        const got = new Set((await search('l2', query(q), { topK: 10 })).ids);
        for (const id of truth.ids) if (got.has(id)) hits++;
      }
      expect(hits / (10 * data.nq)).toBeGreaterThanOrEqual(minRecall);
    });

    it('returns every row when topK exceeds the row count of the matches', async () => {
      const filter = { label: 3, price: { $lt: 50 } };
      const matches = exact('l2').matchingRows(filter)!.length;
      expect(matches).toBeGreaterThan(0);
      expect(matches).toBeLessThan(1000);
      const result = await search('l2', query(0), { topK: 1000, filter });
      expect(result.ids).toHaveLength(matches);
    });

    it('never returns a row that fails the filter and returns min(topK, matches) rows', async () => {
      const filters: unknown[] = [
        { label: 4 },
        { color: { $in: ['red', 'blue'] }, active: true },
        { price: { $gte: 10, $lt: 11 } },
        { $or: [{ label: 1 }, { price: { $exists: false } }] },
        { $not: { label: { $lte: 8 } } },
        { label: 42 },
      ];
      for (const filter of filters) {
        const allowed = new Set(exact('l2').matchingRows(filter));
        for (let q = 0; q < 5; q++) {
          const result = await search('l2', query(q), { topK: 10, filter });
          expect(result.ids).toHaveLength(Math.min(10, allowed.size));
          for (const id of result.ids) expect(allowed.has(id)).toBe(true);
        }
      }
    });

    it('breaks equal distances by the lower row id', async () => {
      const dim = 4;
      const n = 40;
      const vectors = new Float32Array(n * dim);
      for (let i = 0; i < n; i++) vectors.fill(i % 4, i * dim, (i + 1) * dim);
      const small = await factory.build(vectors, n, dim, 'l2', sliceAttributes(data.attributes, n));
      const result = await small.search(Float32Array.from([1, 1, 1, 1]), { topK: 5 });
      expect(result.ids).toEqual([1, 5, 9, 13, 17]);
      expect(result.distances).toEqual([0, 0, 0, 0, 0]);
    });
  });
}

function sliceAttributes(source: AttributeColumns, n: number): AttributeColumns {
  const columns = new Map();
  for (const [key, column] of source.columns) {
    if (column.type === 'category') columns.set(key, { ...column, codes: column.codes.slice(0, n) });
    else columns.set(key, { ...column, values: column.values.slice(0, n) });
  }
  return { rowCount: n, schema: source.schema, columns };
}
