/**
 * Re-applies the cost model and the scale projection to the last serve run
 * (bench-results/serve.json) and re-renders the recall plots from bench-results/engine-*.json,
 * without measuring again:
 *
 *   node --import tsx packages/bench/src/cost-report.ts
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@squash/serve';
import { writeCostAndScale } from './cost-scale-report.ts';
import type { SweepRow } from './engine-sweep.ts';
import { recallQpsSpec, recallSeries, renderSvg } from './plots.ts';
import type { ServeBenchResult } from './serve-bench.ts';

const serve = JSON.parse(
  readFileSync(join(REPO_ROOT, 'bench-results', 'serve.json'), 'utf8'),
) as ServeBenchResult;
console.log(await writeCostAndScale(serve, 'npm run bench'));

const results = join(REPO_ROOT, 'bench-results');
for (const file of readdirSync(results).filter((f) => /^engine-.+\.json$/.test(f))) {
  const name = file.slice('engine-'.length, -'.json'.length);
  const { rows } = JSON.parse(readFileSync(join(results, file), 'utf8')) as { rows: SweepRow[] };
  const spec = recallQpsSpec(name, recallSeries(rows), 'reproduce: npm run bench');
  writeFileSync(join(REPO_ROOT, 'docs', 'plots', `recall-qps-${name}.svg`), await renderSvg(spec));
}
