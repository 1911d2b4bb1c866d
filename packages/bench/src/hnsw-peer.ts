import type { EngineDataset } from '@squash/datasets';

/** hnswlib-node as a benchmark peer whose filter is prepared outside the timed loop. */
export interface PreparedHnswPeer {
  readonly buildSeconds: number;
  search(
    query: Float32Array,
    k: number,
    ef: number,
    allowed: ((label: number) => boolean) | undefined,
  ): { ids: number[]; distances: number[] };
}

/**
 * Like `packages/core/bench/hnsw-peer.ts` (M = 16, efConstruction = 200, distances converted to
 * squash's convention), but the caller passes a ready filter callback, so building the allowed
 * set is not charged to hnswlib's query time (the core benchmark builds a `Set` per query, which
 * dominates at 50% selectivity). Undefined, with a message, when hnswlib-node is not installed.
 */
export async function loadPreparedHnswPeer(dataset: EngineDataset): Promise<PreparedHnswPeer | undefined> {
  let lib: typeof import('hnswlib-node');
  try {
    const loaded = (await import('hnswlib-node')) as typeof import('hnswlib-node') & {
      default?: typeof import('hnswlib-node');
    };
    lib = loaded.default ?? loaded;
  } catch {
    console.error('[bench] hnswlib-node is not installed: skipping the HNSW peer');
    return undefined;
  }
  const space = dataset.metric === 'l2' ? 'l2' : dataset.metric === 'cosine' ? 'cosine' : 'ip';
  const index = new lib.HierarchicalNSW(space, dataset.dim);
  const start = performance.now();
  index.initIndex(dataset.n, 16, 200, 100);
  for (let i = 0; i < dataset.n; i++) {
    index.addPoint(Array.from(dataset.base.subarray(i * dataset.dim, (i + 1) * dataset.dim)), i);
  }
  const buildSeconds = (performance.now() - start) / 1000;
  return {
    buildSeconds,
    search(query, k, ef, allowed) {
      index.setEf(Math.max(ef, k));
      const result = index.searchKnn(Array.from(query), k, allowed);
      const distances = result.distances.map((d) => (space === 'ip' ? d - 1 : d));
      return { ids: result.neighbors, distances };
    },
  };
}

/** A filter callback over a byte mask of the allowed rows (built once, outside timing). */
export function maskFilter(
  n: number,
  allowed: Uint32Array | undefined,
): ((label: number) => boolean) | undefined {
  if (allowed === undefined) return undefined;
  const mask = new Uint8Array(n);
  for (const row of allowed) mask[row] = 1;
  return (label) => mask[label] === 1;
}
