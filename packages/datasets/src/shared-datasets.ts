/**
 * Loads the real benchmark datasets in `<repo>/../shared/datasets` (or `$SQUASH_DATASETS_DIR`) for
 * tests and benchmarks. When the folder is absent (a fresh clone), the loaders print one visible skip line and
 * return `undefined`, so callers can `describe.skipIf` / early-return instead of failing.
 *
 * Conventions, from each dataset folder's README:
 * - `mnist`: base = train10k images (10,000 x 784, uint8 pixels as float32), queries = t10k
 *   (10,000), metric l2, ground truth top-100, digit labels 0..9 on both sides.
 * - `fashion-mnist`: base = train (60,000 x 784), queries = t10k (10,000), metric l2, top-100,
 *   class labels 0..9.
 * - `glove-100d`: base = 50,000 x 100 float32 (id = GloVe frequency rank), queries = 1,000
 *   held-out words, metric cosine, top-100. No labels.
 *
 * Loaded datasets are cached per process (a test file that asks twice parses once).
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Metric } from '@squash/core';
import { readIdx, readIvecs, readVectors } from '@squash/io';

export type SharedDatasetName = 'mnist' | 'fashion-mnist' | 'glove-100d';

export interface LoadedDataset {
  readonly name: SharedDatasetName;
  readonly metric: Metric;
  readonly dim: number;
  /** Number of base vectors. */
  readonly n: number;
  /** n x dim, row-major. */
  readonly base: Float32Array;
  /** Number of queries (after `maxQueries`). */
  readonly nq: number;
  /** nq x dim, row-major. */
  readonly queries: Float32Array;
  /** Neighbours per query stored in `groundTruth` (100 for all three sets). */
  readonly gtK: number;
  /** nq x gtK base ids, nearest first (exact, float64, ties by lower id). */
  readonly groundTruth: Int32Array;
  readonly baseLabels?: Int32Array;
  readonly queryLabels?: Int32Array;
}

export interface LoadSharedDatasetOptions {
  /** Keep only the first `maxQueries` queries (and their ground truth / labels). @default all */
  readonly maxQueries?: number;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The shared datasets folder: `$SQUASH_DATASETS_DIR` if set, else `<repo>/../shared/datasets`. */
export function sharedDatasetsDir(): string {
  const fromEnv = process.env.SQUASH_DATASETS_DIR;
  return fromEnv !== undefined && fromEnv !== ''
    ? resolve(fromEnv)
    : resolve(REPO_ROOT, '..', 'shared', 'datasets');
}

const cache = new Map<SharedDatasetName, Promise<LoadedDataset | undefined>>();

/**
 * Loads one shared dataset, or returns `undefined` (after a `console.warn` skip line) when its
 * folder is missing. Returned arrays are shared between callers: treat them as read-only.
 */
export async function loadSharedDataset(
  name: SharedDatasetName,
  opts: LoadSharedDatasetOptions = {},
): Promise<LoadedDataset | undefined> {
  let pending = cache.get(name);
  if (pending === undefined) {
    pending = loadUncached(name);
    cache.set(name, pending);
  }
  const full = await pending;
  if (full === undefined) return undefined;
  return limitQueries(full, opts.maxQueries);
}

async function loadUncached(name: SharedDatasetName): Promise<LoadedDataset | undefined> {
  const folder = join(sharedDatasetsDir(), name);
  if (!existsSync(folder)) {
    const shown = relative(REPO_ROOT, folder) || folder;
    console.warn(`[squash datasets] skipping: ${shown} not found`);
    return undefined;
  }
  switch (name) {
    case 'mnist':
      return loadIdxSet(name, folder, 'train10k', 'gt-t10k-vs-train10k-l2-k100.ivecs.gz');
    case 'fashion-mnist':
      return loadIdxSet(name, folder, 'train', 'gt-t10k-vs-train-l2-k100.ivecs.gz');
    case 'glove-100d':
      return loadGlove(folder);
  }
}

async function loadIdxSet(
  name: SharedDatasetName,
  folder: string,
  basePrefix: string,
  gtFile: string,
): Promise<LoadedDataset> {
  const [base, queries, baseLabels, queryLabels, gt] = await Promise.all([
    readVectors(join(folder, `${basePrefix}-images-idx3-ubyte.gz`)),
    readVectors(join(folder, 't10k-images-idx3-ubyte.gz')),
    readIdx(join(folder, `${basePrefix}-labels-idx1-ubyte.gz`)),
    readIdx(join(folder, 't10k-labels-idx1-ubyte.gz')),
    readIvecs(join(folder, gtFile)),
  ]);
  return {
    name,
    metric: 'l2',
    dim: base.dim,
    n: base.n,
    base: base.data,
    nq: queries.n,
    queries: queries.data,
    gtK: gt.dim,
    groundTruth: gt.data,
    baseLabels: Int32Array.from(baseLabels.data),
    queryLabels: Int32Array.from(queryLabels.data),
  };
}

async function loadGlove(folder: string): Promise<LoadedDataset> {
  const [base, queries, gt] = await Promise.all([
    readVectors(join(folder, 'base-50k.fvecs.gz')),
    readVectors(join(folder, 'queries-1k.fvecs.gz')),
    readIvecs(join(folder, 'gt-queries-1k-vs-base-50k-cosine-k100.ivecs.gz')),
  ]);
  return {
    name: 'glove-100d',
    metric: 'cosine',
    dim: base.dim,
    n: base.n,
    base: base.data,
    nq: queries.n,
    queries: queries.data,
    gtK: gt.dim,
    groundTruth: gt.data,
  };
}

function limitQueries(full: LoadedDataset, maxQueries: number | undefined): LoadedDataset {
  if (maxQueries === undefined || maxQueries >= full.nq) return full;
  const nq = Math.max(0, Math.floor(maxQueries));
  return {
    ...full,
    nq,
    queries: full.queries.subarray(0, nq * full.dim),
    groundTruth: full.groundTruth.subarray(0, nq * full.gtK),
    ...(full.queryLabels === undefined ? {} : { queryLabels: full.queryLabels.subarray(0, nq) }),
  };
}
