import type { EngineDataset } from './engine-workloads.ts';

/** hnswlib-node (in-memory HNSW, the single-server choice) as a benchmark peer. */
export interface HnswPeer {
  readonly buildSeconds: number;
  search(
    query: Float32Array,
    k: number,
    ef: number,
    allowed: Uint32Array | undefined,
  ): { ids: number[]; distances: number[] };
}

/**
 * Builds an HNSW index (M = 16, efConstruction = 200) when `hnswlib-node` is installed (it builds
 * from source with node-gyp); returns undefined, with a message, when it is not. Filters use the
 * library's filter callback. Distances are converted to squash's convention (lower is closer,
 * squared L2 / 1 - cos / -dot).
 */
export async function loadHnswPeer(dataset: EngineDataset): Promise<HnswPeer | undefined> {
  let lib: typeof import('hnswlib-node');
  try {
    const loaded = (await import('hnswlib-node')) as typeof import('hnswlib-node') & {
      default?: typeof import('hnswlib-node');
    };
    lib = loaded.default ?? loaded;
  } catch {
    console.error('[bench] hnswlib-node is not installed: skipping the HNSW peer (npm i -D hnswlib-node)');
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
      const set = allowed === undefined ? undefined : new Set(allowed);
      const filter = set === undefined ? undefined : (label: number) => set.has(label);
      const result = index.searchKnn(Array.from(query), k, filter);
      const distances = result.distances.map((d) => (space === 'ip' ? d - 1 : d));
      return { ids: result.neighbors, distances };
    },
  };
}
