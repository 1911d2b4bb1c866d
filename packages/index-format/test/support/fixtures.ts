import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIndex, type Metric, type VectorIndex } from '@squash/core';
import { type BlobStore, FilesystemBlobStore, MemoryBlobStore } from '@squash/storage';
import { type SyntheticDataset, syntheticClusters } from '../../../../test/support/synthetic.ts';

/** The seeded data every test in this package indexes: 3,000 rows of 24 dims in 12 clusters. */
export const DATA: SyntheticDataset = syntheticClusters({ n: 3000, dim: 24, nq: 20, clusters: 12, seed: 7 });

const cache = new Map<string, VectorIndex>();

/** A small build (4 partitions, d = 12), cached per metric and attribute choice. */
export function smallIndex(metric: Metric, withAttributes: boolean): VectorIndex {
  const key = `${metric}:${withAttributes}`;
  let index = cache.get(key);
  if (index === undefined) {
    index = buildIndex(DATA.base, DATA.n, DATA.dim, {
      metric,
      partitions: 4,
      leanvecDim: 12,
      seed: 3,
      ...(withAttributes ? { attributes: DATA.attributes } : {}),
    });
    cache.set(key, index);
  }
  return index;
}

export function query(q: number): Float32Array {
  return DATA.queries.subarray(q * DATA.dim, (q + 1) * DATA.dim);
}

/** A store kind under test, with a factory and a cleanup. */
export interface StoreKind {
  readonly name: string;
  open(): Promise<BlobStore>;
  cleanup(): Promise<void>;
}

export function storeKinds(): StoreKind[] {
  const dirs: string[] = [];
  return [
    { name: 'memory', open: async () => new MemoryBlobStore(), cleanup: async () => {} },
    {
      name: 'filesystem',
      open: async () => {
        const dir = await mkdtemp(join(tmpdir(), 'squash-index-format-'));
        dirs.push(dir);
        return new FilesystemBlobStore({ rootDir: dir });
      },
      cleanup: async () => {
        await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
      },
    },
  ];
}
