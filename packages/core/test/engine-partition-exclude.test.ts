import { describe, expect, it } from 'vitest';
import { syntheticClusters } from '../../../test/support/synthetic.ts';
import { setBitIndices } from '../src/bitmap/bitmap.ts';
import { TsVectorScanner } from '../src/distance/ts-scanner.ts';
import { buildIndex } from '../src/engine/build-index.ts';
import { PartitionSearcher } from '../src/engine/partition-search.ts';
import { resolveSearchParameters } from '../src/engine/search-parameters.ts';
import { matchExact } from '../src/filter/evaluate-exact.ts';
import { parseFilter } from '../src/filter/parse-filter.ts';
import { projectQuery } from '../src/leanvec/leanvec-projection.ts';
import { exactSearch } from '../src/search/exact-search.ts';

/**
 * `excludeRows`: local rows a write replaced or deleted are never returned, and the result is
 * exactly what the partition would return without them (exact path), or keeps the guarantees
 * (fast-scan path): min(topK, matching non-excluded rows), exact distances.
 */
describe('PartitionSearcher excludeRows', () => {
  const data = syntheticClusters({ n: 3000, dim: 16, nq: 6, seed: 9 });
  const index = buildIndex(data.base, data.n, data.dim, {
    metric: 'l2',
    partitions: 2,
    attributes: data.attributes,
  });
  const partition = index.parts.partitions[1]!;
  const rows = partition.rowIds.length;
  const exclude = Uint32Array.from({ length: Math.floor(rows / 3) }, (_, i) => i * 3);
  const excluded = new Set(exclude);
  const scanner = new TsVectorScanner('l2', partition.vectors, partition.dim);

  for (const raw of [undefined, { label: 3 }, { active: true, label: { $lt: 5 } }]) {
    const filter = raw === undefined ? undefined : parseFilter(raw, data.schema);
    const allowed = (): Uint32Array => {
      const matching =
        filter === undefined
          ? Uint32Array.from({ length: rows }, (_, i) => i)
          : setBitIndices(matchExact(filter, partition.attributes!));
      return matching.filter((r) => !excluded.has(r));
    };

    it(`equals brute force over the rows left (exact path, filter ${JSON.stringify(raw)})`, () => {
      const searcher = new PartitionSearcher(partition, { backend: 'ts' });
      const parameters = resolveSearchParameters({ exactThreshold: 1_000_000 });
      for (let q = 0; q < data.nq; q++) {
        const vector = data.queries.subarray(q * data.dim, (q + 1) * data.dim);
        const result = searcher.search(
          {
            vector,
            reduced: projectQuery(index.parts.leanvec, vector),
            topK: 25,
            ...(filter === undefined ? {} : { filter }),
            excludeRows: exclude,
          },
          parameters,
        );
        const expected = exactSearch(scanner, vector, { topK: 25, allowRowIds: allowed() });
        expect(result.rows).toEqual(expected.ids);
        expect(result.stats.matchedRows).toBe(allowed().length);
      }
    });

    it(`never returns an excluded row on the fast scan and keeps min(topK, rows left) (filter ${JSON.stringify(raw)})`, () => {
      const searcher = new PartitionSearcher(partition, { backend: 'ts' });
      const parameters = resolveSearchParameters({ exactThreshold: 0, candidateFactor: 2 });
      for (let q = 0; q < data.nq; q++) {
        const vector = data.queries.subarray(q * data.dim, (q + 1) * data.dim);
        const result = searcher.search(
          {
            vector,
            reduced: projectQuery(index.parts.leanvec, vector),
            topK: 40,
            ...(filter === undefined ? {} : { filter }),
            excludeRows: exclude,
          },
          parameters,
        );
        expect(result.rows.some((r) => excluded.has(r))).toBe(false);
        expect(result.rows).toHaveLength(Math.min(40, allowed().length));
      }
    });
  }
});
