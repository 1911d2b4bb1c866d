import { setBitIndices } from '../bitmap/bitmap.ts';
import { createScanner, type ScannerBackend } from '../distance/create-scanner.ts';
import type { VectorScanner } from '../distance/vector-scanner.ts';
import { matchExact } from '../filter/evaluate-exact.ts';
import type { FilterAst } from '../filter/filter-ast.ts';
import { TopK } from '../search/top-k.ts';
import { CodeRanker } from './code-ranking.ts';
import type { PartitionData } from './partition-data.ts';
import type { SearchParameters } from './search-parameters.ts';

/** One query as a partition sees it. */
export interface PartitionQuery {
  /** The full-precision query (dimension D), for the exact re-rank. */
  readonly vector: Float32Array;
  /** The LeanVec-projected query (dimension d), for the code-level stages. */
  readonly reduced: Float32Array;
  readonly topK: number;
  /** Parsed filter; rows that fail it never reach a result. */
  readonly filter?: FilterAst;
  /**
   * Local rows that may match `filter` (bit i = local row i), computed on quantized attribute
   * codes by the router: a superset, re-checked exactly here. Omitted: every row is a candidate.
   */
  readonly candidateBitmap?: Uint32Array;
  /**
   * Local rows that must not be returned, ascending (base rows a write replaced or deleted). They
   * count as non-matching rows: `matchedRows` excludes them, so the exact path and the code
   * stage see only the rest. Omitted or empty: no exclusion, and no extra work.
   */
  readonly excludeRows?: Uint32Array;
}

/** What one partition did for one query. */
export interface PartitionSearchStats {
  readonly rows: number;
  /** Rows that pass the filter exactly (all rows without a filter). */
  readonly matchedRows: number;
  /** True when the approximate stages were skipped and every matching row was measured exactly. */
  readonly exactPath: boolean;
  /** Rows kept by the Hamming pre-prune (= matchedRows when the stage did not run). */
  readonly hammingKept: number;
  /** Rows whose full-precision vectors were measured. */
  readonly reranked: number;
  /** Bytes of codes, binary codes and full-precision vectors the query touched. */
  readonly bytesTouched: number;
}

export interface PartitionSearchResult {
  /**
   * Local positions of the result rows in the partition, nearest first (equal distances: lower
   * row first; local order is global order within a partition). Callers read ids and attributes
   * by these, without mapping global ids back.
   */
  readonly rows: number[];
  /** Global row ids of `rows` (`partition.rowIds[row]`). */
  readonly ids: number[];
  /** Exact distances in the index's metric, ascending. */
  readonly distances: number[];
  readonly stats: PartitionSearchStats;
}

/**
 * Searches one partition: exact filter re-check -> (optional Hamming pre-prune) -> fast scan of
 * the OSQ codes (`CodeRanker`) -> exact re-rank of `candidateFactor` x topK rows -> top-k. When few rows match (at most
 * `exactThreshold`, or at most the re-rank budget), every matching row is measured exactly.
 * The result holds min(topK, matchedRows) rows, all of which pass the filter.
 *
 * Holds the partition's full-precision scanner (WebAssembly when available) and scratch space,
 * so a warm processor reuses them across queries. Not safe for concurrent use by two callers
 * (JavaScript is single-threaded; do not interleave across awaits).
 */
export class PartitionSearcher {
  private readonly scanner: VectorScanner;
  private readonly ranker: CodeRanker;

  constructor(
    readonly partition: PartitionData,
    options: { readonly backend?: ScannerBackend } = {},
  ) {
    this.scanner = createScanner(partition.metric, partition.vectors, partition.dim, {
      backend: options.backend ?? 'auto',
    });
    this.ranker = new CodeRanker(partition.quantizer, partition.codes, partition.quantizer.metric, {
      backend: options.backend ?? 'auto',
    });
  }

  search(query: PartitionQuery, parameters: SearchParameters): PartitionSearchResult {
    return this.searchBatch([query], parameters)[0]!;
  }

  /**
   * `search` for several queries that visit this partition (a processor's batch): the code-level
   * stage reads the partition's codes once for all of them (`CodeRanker.selectBatch`). Each result
   * equals what `search` returns for that query alone.
   */
  searchBatch(queries: readonly PartitionQuery[], parameters: SearchParameters): PartitionSearchResult[] {
    const rows = this.partition.rowIds.length;
    const results: PartitionSearchResult[] = new Array(queries.length);
    const coded: Array<{ q: number; matching: Uint32Array | undefined; matchedRows: number }> = [];
    queries.forEach((query, q) => {
      const matching = this.matchingRows(query);
      const matchedRows = matching === undefined ? rows : matching.length;
      const rerankBudget = Math.ceil(parameters.candidateFactor * query.topK);
      if (matchedRows <= Math.max(parameters.exactThreshold, rerankBudget)) {
        const all = matching ?? Uint32Array.from({ length: rows }, (_, i) => i);
        results[q] = this.rerank(query, all, {
          rows,
          matchedRows,
          exactPath: true,
          hammingKept: matchedRows,
          codeBytes: 0,
        });
      } else {
        coded.push({ q, matching, matchedRows });
      }
    });
    const selections = this.ranker.selectBatch(
      coded.map(({ q, matching }) => ({
        reduced: queries[q]!.reduced,
        matching,
        keep: Math.ceil(parameters.candidateFactor * queries[q]!.topK),
        hammingKeep: parameters.hammingKeep,
      })),
    );
    coded.forEach(({ q, matchedRows }, k) => {
      const selection = selections[k]!;
      results[q] = this.rerank(queries[q]!, selection.rows, {
        rows,
        matchedRows,
        exactPath: false,
        hammingKept: selection.hammingKept,
        codeBytes: selection.bytesTouched,
      });
    });
    return results;
  }

  /**
   * Local rows passing the filter exactly and not excluded, ascending; undefined when there is
   * neither a filter nor an exclusion (every row).
   */
  private matchingRows(query: PartitionQuery): Uint32Array | undefined {
    const matching = this.filteredRows(query);
    const exclude = query.excludeRows;
    if (exclude === undefined || exclude.length === 0) return matching;
    return withoutRows(
      matching ?? Uint32Array.from({ length: this.partition.rowIds.length }, (_, i) => i),
      exclude,
    );
  }

  /** Local rows passing the filter exactly, ascending; undefined when there is no filter. */
  private filteredRows(query: PartitionQuery): Uint32Array | undefined {
    if (query.filter === undefined) return undefined;
    const attributes = this.partition.attributes;
    const rows = this.partition.rowIds.length;
    const candidates =
      query.candidateBitmap === undefined
        ? Uint32Array.from({ length: rows }, (_, i) => i)
        : setBitIndices(query.candidateBitmap);
    if (attributes === undefined) return new Uint32Array(0);
    const exact = matchExact(query.filter, attributes, candidates);
    return setBitIndices(exact, candidates);
  }

  private rerank(
    query: PartitionQuery,
    localRows: Uint32Array,
    partial: {
      rows: number;
      matchedRows: number;
      exactPath: boolean;
      hammingKept: number;
      codeBytes: number;
    },
  ): PartitionSearchResult {
    const distances = new Float32Array(localRows.length);
    this.scanner.distancesToRows(query.vector, localRows, distances);
    const top = new TopK(query.topK);
    for (let j = 0; j < localRows.length; j++) top.push(distances[j]!, localRows[j]!);
    const { ids: rows, distances: sorted } = top.result();
    const rowIds = this.partition.rowIds;
    return {
      rows,
      ids: rows.map((row) => rowIds[row]!),
      distances: sorted,
      stats: {
        rows: partial.rows,
        matchedRows: partial.matchedRows,
        exactPath: partial.exactPath,
        hammingKept: partial.hammingKept,
        reranked: localRows.length,
        bytesTouched: partial.codeBytes + localRows.length * this.partition.dim * 4,
      },
    };
  }
}

/** `rows` without `exclude` (both ascending): one merge pass. */
function withoutRows(rows: Uint32Array, exclude: Uint32Array): Uint32Array {
  const out = new Uint32Array(rows.length);
  let n = 0;
  let e = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    while (e < exclude.length && exclude[e]! < row) e++;
    if (e < exclude.length && exclude[e] === row) continue;
    out[n++] = row;
  }
  return out.subarray(0, n);
}
