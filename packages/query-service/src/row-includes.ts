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

/**
 * Reads the vectors and metadata of the rows a request returns, after the final merge, so only
 * those rows cost anything: tail rows from the folded log (already in memory); base rows' vectors
 * with ranged GETs of their partitions' vectors objects (`readVectorRows`, one GET per run of
 * adjacent rows, partitions in parallel). Base rows carry no metadata yet: versions do not store
 * it until compaction writes a metadata object (`metadata` is then absent on those rows).
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
  const byPartition = new Map<number, Array<{ q: number; k: number; local: number }>>();
  hits.forEach((list, q) => {
    const want = wanted[q]!;
    if (!want.vector && !want.metadata) return;
    list.forEach((hit, k) => {
      const tailRow = view.tail?.atRow(hit.row);
      if (tailRow !== undefined) {
        if (want.vector) extras[q]![k]!.vector = Array.from(tailRow.vector);
        if (want.metadata && tailRow.metadata !== undefined)
          extras[q]![k]!.metadata = { ...tailRow.metadata };
        return;
      }
      if (!want.vector || hit.partition === undefined || hit.local === undefined) return;
      const list2 = byPartition.get(hit.partition) ?? [];
      if (list2.length === 0) byPartition.set(hit.partition, list2);
      list2.push({ q, k, local: hit.local });
    });
  });
  const base = view.base;
  if (base === undefined || byPartition.size === 0) return extras;
  await Promise.all(
    [...byPartition].map(async ([partition, rows]) => {
      const vectors = await access.vectorRows(
        view.uri,
        base.manifest,
        partition,
        rows.map((r) => r.local),
      );
      rows.forEach((r, i) => {
        extras[r.q]![r.k]!.vector = Array.from(vectors.subarray(i * view.dim, (i + 1) * view.dim));
      });
    }),
  );
  return extras;
}
