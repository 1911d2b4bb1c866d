import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSharedDataset, sharedDatasetsDir } from '../../../test/support/datasets.ts';
import { useTempDir } from './cli-harness.ts';
import { runMnistScenario } from './mnist-scenario.ts';

const QUERIES = 200;
const dataset = await loadSharedDataset('mnist', { maxQueries: QUERIES });
const tmp = useTempDir();

describe.skipIf(dataset === undefined)('squash build + search on ../shared/datasets/mnist (IDX .gz)', () => {
  it('reaches recall@10 >= 0.95, and {"label": 3} returns only label-3 rows at recall@10 >= 0.95', async () => {
    const d = dataset!;
    const folder = join(sharedDatasetsDir(), 'mnist');
    const outcome = await runMnistScenario({
      dir: tmp.path,
      imagesFile: join(folder, 'train10k-images-idx3-ubyte.gz'),
      labelsFile: join(folder, 'train10k-labels-idx1-ubyte.gz'),
      base: d.base,
      labels: d.baseLabels!,
      dim: d.dim,
      queries: d.queries,
      groundTruth: { ids: d.groundTruth, gtK: d.gtK },
      partitions: 4,
    });
    console.info(
      `[cli mnist shared] recall@10 ${outcome.recall.toFixed(4)}, label=3 recall@10 ${outcome.filteredRecall.toFixed(4)}`,
    );
    expect(outcome.buildStdout).toMatch(/rows\s+10000/);
    expect(outcome.recall).toBeGreaterThanOrEqual(0.95);
    expect(outcome.filteredRecall).toBeGreaterThanOrEqual(0.95);
  });
});
