import type { WireHit, WireQuery, WorkItem } from '@squash/contracts';
import type { QueryPlan } from '@squash/core';
import { type RowBytes, rowBytes } from './answer-size.ts';
import { encodeBitmap } from './bitmap-codec.ts';
import type { PinnedManifest } from './index-access.ts';
import type { ValidQuery } from './validate-query.ts';

/**
 * Per partition, the queries that visit it in the next round (each plan decides for its query
 * from its merged results), as work items with the candidate bitmaps of filtered queries and the
 * partition's masked local rows (`exclude`, ascending, from `maskedRows`).
 */
export function nextRound(
  plans: readonly QueryPlan[],
  hits: readonly WireHit[][],
  exclude: ReadonlyMap<number, number[]> = new Map(),
): WorkItem[] {
  const byPartition = new Map<number, number[]>();
  plans.forEach((plan, q) => {
    const held = hits[q]!;
    const kthDistance = held.length < plan.topK ? Number.POSITIVE_INFINITY : held[held.length - 1]!.distance;
    for (const p of plan.next({ found: held.length, kthDistance })) {
      const list = byPartition.get(p);
      if (list === undefined) byPartition.set(p, [q]);
      else list.push(q);
    }
  });
  return [...byPartition].map(([partition, queries]) => {
    const bitmaps = queries.map((q) => plans[q]!.candidates(partition));
    const masked = exclude.get(partition);
    return {
      partition,
      queries,
      ...(masked === undefined ? {} : { exclude: masked }),
      ...(bitmaps.some((b) => b !== undefined)
        ? { candidates: bitmaps.map((b) => (b === undefined ? null : encodeBitmap(b))) }
        : {}),
    };
  });
}

/** Row byte bounds per query (two variants per index: with and without attributes). */
export function rowBytesOf(manifest: PinnedManifest, queries: readonly ValidQuery[]): RowBytes[] {
  const plain = rowBytes(manifest, false);
  const withAttributes = queries.some((q) => q.includeAttributes) ? rowBytes(manifest, true) : plain;
  return queries.map((q) => (q.includeAttributes ? withAttributes : plain));
}

export function toWireQuery(query: ValidQuery, reduced: Float32Array): WireQuery {
  return {
    vector: Array.from(query.vector),
    reduced: Array.from(reduced),
    topK: query.topK,
    ...(query.filterJson === undefined ? {} : { filter: query.filterJson }),
    ...(query.includeAttributes ? { includeAttributes: true } : {}),
  };
}
