import { ExactIndex, type Metric } from '@squash/core';
import { type IndexDefinition, type LogOp, loadIndex, newDefinition } from '@squash/index-format';
import type { BlobStore } from '@squash/storage';
import { type SyntheticDataset, syntheticClusters } from '../../../../test/support/synthetic.ts';
import type { LiveRow, LiveSet } from './live-set.ts';

/** 6,000 seeded rows of 24 dims in 12 clusters, with attributes; queries drawn the same way. */
export const DATA: SyntheticDataset = syntheticClusters({ n: 6000, dim: 24, nq: 40, clusters: 12, seed: 11 });

export function definition(metric: Metric = 'l2'): IndexDefinition {
  return newDefinition('docs', { dim: DATA.dim, metric, schema: DATA.schema });
}

export function row(i: number): Float32Array {
  return DATA.base.subarray(i * DATA.dim, (i + 1) * DATA.dim);
}

export function query(q: number): Float32Array {
  return DATA.queries.subarray(q * DATA.dim, (q + 1) * DATA.dim);
}

/** Upserts of data rows `from..to-1` as ids `prefix + i`, with attributes and metadata. */
export function upserts(from: number, to: number, prefix = 'doc-', source = (i: number) => i): LogOp[] {
  return Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    const attributes = Object.fromEntries(
      Object.entries(DATA.rows[source(i)]!).filter(([, v]) => v !== undefined),
    ) as Record<string, string | number | boolean>;
    return {
      op: 'upsert',
      id: `${prefix}${i}`,
      vector: row(source(i)),
      attributes,
      ...(i % 4 === 0 ? {} : { metadata: { title: `document ${i}`, tags: [i % 7] } }),
    };
  });
}

export function deletes(ids: readonly string[]): LogOp[] {
  return ids.map((id) => ({ op: 'delete', id }));
}

function l2(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += (a[j]! - b[j]!) ** 2;
  return sum;
}

/** Brute force over the model: the ids of the k nearest live rows (ties: lower id). */
export function bruteForce(
  model: LiveSet,
  q: Float32Array,
  k: number,
  keep: (row: LiveRow) => boolean = () => true,
): string[] {
  return [...model.entries()]
    .filter(([, r]) => keep(r))
    .map(([id, r]) => ({ id, d: l2(q, r.vector) }))
    .sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : 1))
    .slice(0, k)
    .map((r) => r.id);
}

/** Mean recall@10 of the current version's approximate search against brute force over `model`. */
export async function recallAt10(store: BlobStore, model: LiveSet, filter?: unknown): Promise<number> {
  const { index, idOf } = await loadIndex(store);
  let hits = 0;
  for (let q = 0; q < DATA.nq; q++) {
    const truth = new Set(
      bruteForce(model, query(q), 10, (r) => filter === undefined || r.attributes.active === true),
    );
    const found = index.search(query(q), { topK: 10, ...(filter === undefined ? {} : { filter }) });
    hits += found.ids.filter((r) => truth.has(idOf(r))).length / Math.max(1, truth.size);
  }
  return hits / DATA.nq;
}

/** Exact search over the current version (ExactIndex over its loaded rows), result ids. */
export async function exactSearch(store: BlobStore, q: Float32Array, filter?: unknown): Promise<string[]> {
  const { index, idOf } = await loadIndex(store);
  const { parts } = index;
  const vectors = new Float32Array(parts.count * parts.dim);
  for (const p of parts.partitions) {
    p.rowIds.forEach((r, j) => {
      vectors.set(p.vectors.subarray(j * p.dim, (j + 1) * p.dim), r * p.dim);
    });
  }
  const exact = new ExactIndex(parts.metric, vectors, parts.dim, parts.attributes);
  return exact.search(q, { topK: 10, filter }).ids.map(idOf);
}
