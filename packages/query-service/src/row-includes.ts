import type { WireHit } from '@squash/contracts';
import type { IndexAccess } from './index-access.ts';
import type { IndexView } from './index-states.ts';

/** What a returned row carries besides id, distance and attributes. */
export interface RowExtras {
  vector?: number[];
  metadata?: Record<string, unknown>;
}

/** Which extras a query or fetch asked for. */
export interface ExtrasWanted {
  readonly vector: boolean;
  readonly metadata: boolean;
}

/** A base row whose extras are read, and where its answer goes. */
export interface BaseRowRef {
  readonly partition: number;
  readonly local: number;
  readonly into: RowExtras;
  readonly want: ExtrasWanted;
}

/**
 * Reads the vectors and metadata of the rows a request returns, after the final merge, so only
 * those rows cost anything: tail rows from the folded log (already in memory); base rows with
 * ranged GETs of their partitions' objects (`readVectorRows`, `readRowMetadata`: one GET per run of
 * adjacent rows, partitions in parallel). A row without metadata has no `metadata` field.
 *
 * `hits[q]` must carry `partition` and `local` for base rows (processors set them).
 */
export async function readExtras(
  view: IndexView,
  access: IndexAccess,
  hits: readonly (readonly WireHit[])[],
  wanted: readonly ExtrasWanted[],
): Promise<RowExtras[][]> {
  const extras: RowExtras[][] = hits.map((list) => list.map(() => ({})));
  const base: BaseRowRef[] = [];
  hits.forEach((list, q) => {
    const want = wanted[q]!;
    if (!want.vector && !want.metadata) return;
    list.forEach((hit, k) => {
      const into = extras[q]![k]!;
      const tailRow = view.tail?.atRow(hit.row);
      if (tailRow !== undefined) {
        if (want.vector) into.vector = Array.from(tailRow.vector);
        if (want.metadata && tailRow.metadata !== undefined) into.metadata = { ...tailRow.metadata };
      } else if (hit.partition !== undefined && hit.local !== undefined) {
        base.push({ partition: hit.partition, local: hit.local, into, want });
      }
    });
  });
  await readBaseExtras(view, access, base);
  return extras;
}

/** Reads the vectors and metadata `rows` want from the base, one pass per partition. */
export async function readBaseExtras(
  view: IndexView,
  access: IndexAccess,
  rows: readonly BaseRowRef[],
): Promise<void> {
  const base = view.base;
  if (base === undefined || rows.length === 0) return;
  const byPartition = new Map<number, BaseRowRef[]>();
  for (const row of rows) {
    const list = byPartition.get(row.partition) ?? [];
    if (list.length === 0) byPartition.set(row.partition, list);
    list.push(row);
  }
  const reads: Array<Promise<void>> = [];
  for (const [partition, list] of byPartition) {
    const vectorRows = list.filter((r) => r.want.vector);
    if (vectorRows.length > 0) {
      reads.push(
        access
          .vectorRows(
            view.uri,
            base.manifest,
            partition,
            vectorRows.map((r) => r.local),
          )
          .then((vectors) => {
            vectorRows.forEach((r, i) => {
              r.into.vector = Array.from(vectors.subarray(i * view.dim, (i + 1) * view.dim));
            });
          }),
      );
    }
    const metadataRows = list.filter((r) => r.want.metadata);
    if (metadataRows.length > 0) {
      reads.push(
        access
          .rowMetadata(
            view.uri,
            base.manifest,
            partition,
            metadataRows.map((r) => r.local),
          )
          .then((metadata) => {
            metadataRows.forEach((r, i) => {
              const value = metadata[i];
              if (value !== undefined) r.into.metadata = value;
            });
          }),
      );
    }
  }
  await Promise.all(reads);
}
