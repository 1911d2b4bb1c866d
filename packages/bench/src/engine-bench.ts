/**
 * `npm run bench:engine`: the engine sweep alone (squash at three settings, exact WebAssembly
 * brute force, hnswlib-node at three ef values; unfiltered and 50% / 10% / 1% filters), printed
 * as a Markdown table. Unlike `npm run bench` it writes nothing to docs/. Dataset names are the
 * shared datasets, optionally with `-x<factor>` for a larger set of the same kind
 * (`augmentedDataset`: `glove-100d-x4` is 200,000 rows).
 *
 *   npm run bench:engine -- --datasets fashion-mnist --queries 300
 *   npm run bench:engine -- --datasets glove-100d-x4
 */
import { parseArgs } from 'node:util';
import { loadEngineDataset } from '@squash/datasets';
import { type SweepRow, sweepDataset, sweepTable } from './engine-sweep.ts';

const { values } = parseArgs({
  options: {
    datasets: { type: 'string', default: 'mnist,fashion-mnist,glove-100d' },
    queries: { type: 'string', default: '300' },
  },
});

const queries = Number(values.queries);
if (!Number.isInteger(queries) || queries < 1) {
  console.error(`--queries is ${JSON.stringify(values.queries)}; allowed: a positive integer`);
  process.exit(2);
}
const rows: SweepRow[] = [];
for (const name of values.datasets.split(',')) {
  const dataset = await loadEngineDataset(name.trim(), queries);
  if (dataset === undefined) continue;
  const result = await sweepDataset(dataset, (line) => console.error(line));
  rows.push(...result.rows);
}
console.log(sweepTable(rows));
