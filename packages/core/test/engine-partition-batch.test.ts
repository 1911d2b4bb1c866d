import { describe, expect, it } from 'vitest';
import { syntheticClusters } from '../../../test/support/synthetic.ts';
import { l2Impl } from '../src/distance/reference-kernels.ts';
import { buildIndex } from '../src/engine/build-index.ts';
import { type PartitionQuery, PartitionSearcher } from '../src/engine/partition-search.ts';
import { DEFAULT_SEARCH_PARAMETERS, resolveSearchParameters } from '../src/engine/search-parameters.ts';
import { evaluateExact } from '../src/filter/evaluate-exact.ts';
import { parseFilter } from '../src/filter/parse-filter.ts';
import { projectQuery } from '../src/leanvec/leanvec-projection.ts';

/**
 * A processor's batch: `PartitionSearcher.searchBatch` reads the codes once for every query that
 * visits the partition, and each query gets what `search` gives it alone, with the partition's
 * guarantees (min(topK, matches) rows, every row passes the filter, exact distances ascending).
 */
describe('PartitionSearcher.searchBatch', () => {
  const data = syntheticClusters({ n: 6000, dim: 24, nq: 12, seed: 5 });
  const index = buildIndex(data.base, data.n, data.dim, {
    metric: 'l2',
    partitions: 2,
    attributes: data.attributes,
  });
  const partition = index.parts.partitions[0]!;
  const filters = [undefined, { label: 3 }, { active: true }, { label: { $in: [1, 2, 3, 4, 5, 6] } }];

  function queries(): PartitionQuery[] {
    return Array.from({ length: data.nq }, (_, q) => {
      const vector = data.queries.subarray(q * data.dim, (q + 1) * data.dim);
      const raw = filters[q % filters.length];
      return {
        vector,
        reduced: projectQuery(index.parts.leanvec, vector),
        topK: 1 + ((q * 7) % 15),
        ...(raw === undefined ? {} : { filter: parseFilter(raw, data.schema) }),
      };
    });
  }

  it.each(['ts', 'wasm'] as const)('gives each query what search gives it alone (%s kernels)', (backend) => {
    const searcher = new PartitionSearcher(partition, { backend: backend === 'wasm' ? 'auto' : 'ts' });
    // A low exact threshold sends every query through the fast scan.
    const parameters = resolveSearchParameters({ exactThreshold: 0, candidateFactor: 4 });
    const batch = searcher.searchBatch(queries(), parameters);
    queries().forEach((query, q) => {
      expect(batch[q]).toEqual(searcher.search(query, parameters));
      expect(batch[q]!.stats.exactPath).toBe(false);
    });
  });

  it('keeps the guarantees: min(topK, matches) rows that pass the filter, with exact distances', () => {
    const searcher = new PartitionSearcher(partition);
    const parameters = { ...DEFAULT_SEARCH_PARAMETERS, exactThreshold: 0 };
    const results = searcher.searchBatch(queries(), parameters);
    const rowIds = Array.from(partition.rowIds);
    let nearestFound = 0;
    queries().forEach((query, q) => {
      const result = results[q]!;
      const matching = rowIds.filter(
        (_, local) => query.filter === undefined || evaluateExact(query.filter, partition.attributes!, local),
      );
      expect(result.ids.length).toBe(Math.min(query.topK, matching.length));
      expect(result.stats.matchedRows).toBe(matching.length);
      result.ids.forEach((id, k) => {
        const local = rowIds.indexOf(id);
        expect(matching).toContain(id);
        const exact = l2Impl(query.vector, 0, partition.vectors, local * data.dim, data.dim);
        expect(result.distances[k]).toBeCloseTo(exact, 2);
        if (k > 0) expect(result.distances[k]).toBeGreaterThanOrEqual(result.distances[k - 1]!);
      });
      const nearest = Math.min(
        ...matching.map((id) =>
          l2Impl(query.vector, 0, partition.vectors, rowIds.indexOf(id) * data.dim, data.dim),
        ),
      );
      expect(result.distances[0]).toBeGreaterThanOrEqual(nearest * (1 - 1e-5));
      if (result.distances[0]! <= nearest * (1 + 1e-5)) nearestFound++;
    });
    // The fast scan's candidates (topK x 10 of about 3,000 rows) usually hold the true nearest.
    console.log(`[engine] nearest matching row found for ${nearestFound} of ${data.nq} queries`);
    expect(nearestFound).toBeGreaterThanOrEqual(Math.ceil(0.75 * data.nq));
  });
});
