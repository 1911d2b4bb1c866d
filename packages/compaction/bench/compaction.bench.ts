/**
 * Times one compaction of a generated index: a base of BASE rows (built and published as
 * `squash build` does) and a tail of TAIL new rows written to the log in requests of 1,000.
 * The target: 20,000 new rows into a 60,000-row index in under 60 s.
 *
 *   node --import tsx packages/compaction/bench/compaction.bench.ts [base=60000] [tail=20000] [dim=128]
 *
 * Run it alone: the build and the compaction are CPU-bound (one core for k-means and OSQ).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIndex, SeededRandom } from '@squash/core';
import { appendToLog, type LogOp, newDefinition, publishIndex } from '@squash/index-format';
import { FilesystemBlobStore } from '@squash/storage';
import { compactIndex } from '../src/compact-index.ts';

const [base = 60_000, tail = 20_000, dim = 128] = process.argv.slice(2).map(Number);
const random = new SeededRandom(1);
const clusters = 64;
const centres = Float32Array.from({ length: clusters * dim }, () => random.nextFloat() * 20 - 10);
const draw = (n: number): Float32Array => {
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = random.nextInt(clusters);
    for (let j = 0; j < dim; j++) out[i * dim + j] = centres[c * dim + j]! + random.nextGaussian();
  }
  return out;
};

const dir = await mkdtemp(join(tmpdir(), 'squash-compaction-bench-'));
try {
  const store = new FilesystemBlobStore({ rootDir: dir });
  let started = performance.now();
  const index = buildIndex(draw(base), base, dim, { metric: 'l2' });
  await publishIndex(store, index, { name: 'bench', ids: Array.from({ length: base }, (_, i) => `b${i}`) });
  console.log(`built and published ${base} x ${dim} in ${Math.round(performance.now() - started)} ms`);
  const fresh = draw(tail);
  for (let i = 0; i < tail; i += 1000) {
    const ops: LogOp[] = [];
    for (let k = i; k < Math.min(tail, i + 1000); k++)
      ops.push({ op: 'upsert', id: `t${k}`, vector: fresh.slice(k * dim, (k + 1) * dim) });
    await appendToLog(store, ops);
  }
  started = performance.now();
  const report = await compactIndex(store, newDefinition('bench', { dim, metric: 'l2' }));
  console.log(`compaction: ${Math.round(performance.now() - started)} ms`);
  console.log(JSON.stringify(report));
} finally {
  await rm(dir, { recursive: true, force: true });
}
