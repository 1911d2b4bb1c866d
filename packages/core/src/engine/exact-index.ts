import type { AttributeColumns } from '../attributes/attribute-columns.ts';
import { setBitIndices } from '../bitmap/bitmap.ts';
import { createScanner, type ScannerBackend } from '../distance/create-scanner.ts';
import type { Metric } from '../distance/metric.ts';
import type { VectorScanner } from '../distance/vector-scanner.ts';
import { matchExact } from '../filter/evaluate-exact.ts';
import { parseFilter } from '../filter/parse-filter.ts';
import { exactSearch } from '../search/exact-search.ts';

/**
 * Brute-force filtered search over all rows: the reference the approximate `VectorIndex` is
 * tested against, and the exact peer in benchmarks. Same search contract: min(topK, matches)
 * results, exact distances, ties broken by the lower row id.
 */
export class ExactIndex {
  private readonly scanner: VectorScanner;

  constructor(
    readonly metric: Metric,
    vectors: Float32Array,
    readonly dim: number,
    private readonly attributes?: AttributeColumns,
    options: { readonly backend?: ScannerBackend } = {},
  ) {
    this.scanner = createScanner(metric, vectors, dim, { backend: options.backend ?? 'auto' });
  }

  get count(): number {
    return this.scanner.n;
  }

  /** Row ids that match `filter` exactly, ascending (all rows when there is no filter). */
  matchingRows(filter: unknown): Uint32Array | undefined {
    if (filter === undefined) return undefined;
    const ast = parseFilter(filter, this.attributes?.schema ?? {});
    if (this.attributes === undefined) return new Uint32Array(0);
    return setBitIndices(matchExact(ast, this.attributes));
  }

  search(
    query: Float32Array,
    options: { topK?: number; filter?: unknown } = {},
  ): { ids: number[]; distances: number[] } {
    const allowRowIds = this.matchingRows(options.filter);
    if (allowRowIds !== undefined && allowRowIds.length === 0) return { ids: [], distances: [] };
    return exactSearch(this.scanner, query, {
      topK: options.topK ?? 10,
      ...(allowRowIds === undefined ? {} : { allowRowIds }),
    });
  }
}
