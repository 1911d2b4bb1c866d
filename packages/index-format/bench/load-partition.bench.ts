/**
 * Cold-start cost of a processor: loading one partition from the filesystem store.
 *
 *   node --import tsx packages/index-format/bench/load-partition.bench.ts
 *
 * Builds MNIST (10,000 x 784 from ../shared/datasets; seeded Gaussian data of the same shape
 * when the datasets are absent) with the default build parameters, publishes it to a temp
 * directory, then times for the largest partition: `loadPartition` with and without CRC
 * verification, the raw `store.get` of the same objects, the CRC-32C alone, and `readVectorRows`
 * of 100 random rows. Medians of 15 runs; the OS page cache is warm after the first run, so this
 * is read + checksum + decode speed, not disk speed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIndex, SeededRandom } from '@squash/core';
import { crc32cHex, FilesystemBlobStore } from '@squash/storage';
import { loadSharedDataset } from '../../../test/support/datasets.ts';
import { loadManifest } from '../src/load-manifest.ts';
import { loadPartition } from '../src/load-partition.ts';
import { partitionObjects } from '../src/manifest.ts';
import { publishIndex } from '../src/publish-index.ts';
import { readVectorRows } from '../src/read-vector-rows.ts';
import { objectKey } from '../src/store-layout.ts';

const RUNS = 15;

async function data(): Promise<{ name: string; base: Float32Array; n: number; dim: number }> {
  const mnist = await loadSharedDataset('mnist', { maxQueries: 1 });
  if (mnist !== undefined) return { name: 'mnist', base: mnist.base, n: mnist.n, dim: mnist.dim };
  const random = new SeededRandom(1);
  const n = 10_000;
  const dim = 784;
  return {
    name: 'synthetic',
    base: Float32Array.from({ length: n * dim }, () => random.nextGaussian()),
    n,
    dim,
  };
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  await fn(); // warm-up: JIT, WebAssembly compilation, page cache
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

const { name, base, n, dim } = await data();
let start = performance.now();
const index = buildIndex(base, n, dim, { metric: 'l2', seed: 0 });
console.log(`build ${name} ${n} x ${dim}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
const dir = await mkdtemp(join(tmpdir(), 'squash-bench-'));
try {
  const store = new FilesystemBlobStore({ rootDir: dir });
  start = performance.now();
  const { manifest } = await publishIndex(store, index, { name });
  console.log(
    `publish: ${(performance.now() - start).toFixed(0)} ms, ${(manifest.totalBytes / 1e6).toFixed(1)} MB`,
  );
  const pinned = await loadManifest(store);
  const entry = pinned.partitions.reduce((a, b) => (b.rows > a.rows ? b : a));
  const bytes = partitionObjects(entry).reduce((sum, ref) => sum + ref.bytes, 0);
  const mb = bytes / 1e6;
  const report = (label: string, ms: number): void =>
    console.log(`${label}: ${ms.toFixed(1)} ms, ${(mb / (ms / 1000)).toFixed(0)} MB/s`);
  console.log(
    `d = ${pinned.reducedDim}, ${pinned.partitions.length} partitions; the largest (${entry.id}): ${entry.rows} rows, ${mb.toFixed(1)} MB in ${partitionObjects(entry).length} objects`,
  );
  report(
    'store.get of its objects (raw)',
    await median(() =>
      Promise.all(partitionObjects(entry).map((ref) => store.get(objectKey(pinned.version, ref.key)))),
    ),
  );
  report('loadPartition verify=true ', await median(() => loadPartition(store, pinned, entry.id)));
  report(
    'loadPartition verify=false',
    await median(() => loadPartition(store, pinned, entry.id, { verify: false })),
  );
  const objects = await Promise.all(
    partitionObjects(entry).map((ref) => store.get(objectKey(pinned.version, ref.key))),
  );
  report('crc32cHex of its objects', await median(() => Promise.all(objects.map((o) => crc32cHex(o!)))));
  const random = new SeededRandom(2);
  const rows = Array.from({ length: 100 }, () => random.nextInt(entry.rows));
  const rowsMs = await median(() => readVectorRows(store, pinned, entry.id, rows));
  console.log(`readVectorRows of 100 random rows: ${rowsMs.toFixed(1)} ms`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
