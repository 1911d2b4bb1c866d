import type { WireHit } from '@squash/contracts';
import { type AttributeSchema, buildAttributeColumns, ExactIndex, type Metric } from '@squash/core';
import type { LogAttributeValue, LogTail, TailRow } from '@squash/index-format';
import { attributesOfRow } from './attribute-values.ts';

/** What an exact tail search needs of a query (a `ValidQuery`'s fields). */
export interface TailQuery {
  readonly vector: Float32Array;
  readonly topK: number;
  /** The JSON filter as validated against the schema, or undefined. */
  readonly filterJson: unknown;
  readonly includeAttributes: boolean;
}

/**
 * The folded log tail of an index above its base version, frozen for the queries that read it:
 * the rows written since the base (latest upsert of each id), searched exactly, and the ids whose
 * base rows the tail masks (replaced or deleted).
 *
 * **Row numbers.** Tail rows take the global rows after the base's: row `baseCount + i` is the
 * i-th tail row in sequence order (stable within one entry), so the one merge (`mergeTopK`, ties
 * by the lower row) ranks base rows before tail rows at equal distance, as an index rebuilt from
 * base + tail in that order would.
 *
 * **Exactness.** Distances come from core's exact scanner in the index metric; the filter is
 * evaluated by core's exact evaluator (`matchExact` through `ExactIndex`) on columns built from
 * the rows' values, so missing values behave as in a partition. Cost: building the columns and
 * the scanner once per snapshot (O(rows x (dim + attributes))), then one exact scan of the tail
 * per query: with the default compaction threshold (20,000 rows) a few milliseconds at 128
 * dimensions.
 */
export class TailSnapshot {
  /** Tail rows in row-number order. */
  readonly rows: readonly TailRow[];
  /** Ids whose base row must not be returned: replaced by a tail row, or deleted. */
  readonly masked: ReadonlySet<string>;
  private readonly byId: ReadonlyMap<string, number>;
  private index: ExactIndex | undefined;
  private columns: ReturnType<typeof buildAttributeColumns> | undefined;
  private metadataBytes: number | undefined;

  constructor(
    tail: LogTail,
    readonly baseCount: number,
    private readonly metric: Metric,
    private readonly dim: number,
    private readonly schema: AttributeSchema,
  ) {
    // Stable: rows of one sequence keep the fold's order.
    this.rows = [...tail.rows.values()].sort((a, b) => a.sequence - b.sequence);
    this.masked = new Set([...tail.rows.keys(), ...tail.deleted]);
    this.byId = new Map(this.rows.map((row, i) => [row.id, i]));
  }

  /** Longest metadata object of a tail row, serialized as JSON, in bytes (0 when none has one). */
  get maxMetadataBytes(): number {
    if (this.metadataBytes === undefined) {
      let most = 0;
      for (const row of this.rows) {
        if (row.metadata !== undefined)
          most = Math.max(most, Buffer.byteLength(JSON.stringify(row.metadata)));
      }
      this.metadataBytes = most;
    }
    return this.metadataBytes;
  }

  /** The tail row `id`, or undefined when the tail holds no upsert of it. */
  row(id: string): TailRow | undefined {
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.rows[i];
  }

  /** The tail row at global row `row`, or undefined when `row` is a base row. */
  atRow(row: number): TailRow | undefined {
    return row >= this.baseCount ? this.rows[row - this.baseCount] : undefined;
  }

  /** Whether `id` was deleted by the tail (and not upserted again). */
  isDeleted(id: string): boolean {
    return this.masked.has(id) && !this.byId.has(id);
  }

  /** The tail row's attribute values over the whole schema (missing: null). */
  attributesOf(row: TailRow): Record<string, LogAttributeValue> {
    return attributesOfRow(this.attributeColumns(), this.byId.get(row.id)!);
  }

  /** The exact top-k of the tail rows for `query` (min(topK, matching rows) hits). */
  search(query: TailQuery): WireHit[] {
    if (this.rows.length === 0) return [];
    const found = this.exactIndex().search(query.vector, {
      topK: query.topK,
      ...(query.filterJson === undefined ? {} : { filter: query.filterJson }),
    });
    return found.ids.map((i, k) => ({
      id: this.rows[i]!.id,
      row: this.baseCount + i,
      distance: found.distances[k]!,
      ...(query.includeAttributes ? { attributes: this.attributesOf(this.rows[i]!) } : {}),
    }));
  }

  private exactIndex(): ExactIndex {
    if (this.index === undefined) {
      const vectors = new Float32Array(this.rows.length * this.dim);
      this.rows.forEach((row, i) => {
        vectors.set(row.vector, i * this.dim);
      });
      this.index = new ExactIndex(this.metric, vectors, this.dim, this.attributeColumns());
    }
    return this.index;
  }

  private attributeColumns(): ReturnType<typeof buildAttributeColumns> {
    // Values were validated against the schema when written; an attribute the schema does not
    // know cannot be in the log, and is ignored rather than failing a query if it were.
    this.columns ??= buildAttributeColumns(
      this.rows.map((row) => row.attributes),
      this.schema,
      { unknownAttributes: 'ignore' },
    );
    return this.columns;
  }
}
