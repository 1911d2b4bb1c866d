/**
 * The whole benchmark (`squash bench`-style harness):
 *
 *   npm run bench                 # < 30 min on 2 cores: 3 real datasets, 200k x 128 synthetic, serve
 *   npm run bench -- --full       # adds the 1M x 128 synthetic set
 *   npm run bench -- --queries 100 --skip-serve --datasets mnist
 *
 * Writes bench-results/*.json, rewrites the tables between `<!-- bench:start -->` and
 * `<!-- bench:end -->` in docs/benchmarks.md (and the `cost` / `scale` blocks of
 * docs/cost-model.md and docs/scale.md), and renders docs/plots/*.svg.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type EngineDataset, loadEngineDataset, syntheticClusteredDataset } from '@squash/datasets';
import { REPO_ROOT } from '@squash/serve';
import { headlineTable } from './bench-report.ts';
import { writeCostAndScale } from './cost-scale-report.ts';
import { rewriteBetweenMarkers } from './docs-markers.ts';
import { type SweepBuild, type SweepRow, sweepDataset, sweepTable } from './engine-sweep.ts';
import { latencySpec, recallQpsSpec, recallSeries, renderSvg } from './plots.ts';
import { runServeBench, type ServeBenchResult, serveBenchTable } from './serve-bench.ts';

const { values } = parseArgs({
  options: {
    queries: { type: 'string', default: '300' },
    full: { type: 'boolean', default: false },
    'skip-serve': { type: 'boolean', default: false },
    'skip-synthetic': { type: 'boolean', default: false },
    datasets: { type: 'string', default: 'mnist,fashion-mnist,glove-100d' },
  },
});

const RESULTS = join(REPO_ROOT, 'bench-results');
const DOCS = join(REPO_ROOT, 'docs');
const PLOTS = join(DOCS, 'plots');
const COMMAND = values.full ? 'npm run bench -- --full' : 'npm run bench';
const log = (line: string): void => console.error(line);

function writeJson(name: string, value: unknown): void {
  writeFileSync(join(RESULTS, name), `${JSON.stringify(value, null, 2)}\n`);
}

async function plot(file: string, spec: Parameters<typeof renderSvg>[0]): Promise<void> {
  writeFileSync(join(PLOTS, file), await renderSvg(spec));
}

async function sweep(dataset: EngineDataset): Promise<{ rows: SweepRow[]; builds: SweepBuild[] }> {
  const started = performance.now();
  const result = await sweepDataset(dataset, log);
  writeJson(`engine-${dataset.name}.json`, result);
  await plot(
    `recall-qps-${dataset.name}.svg`,
    recallQpsSpec(dataset.name, recallSeries(result.rows), `reproduce: ${COMMAND}`),
  );
  log(`[bench] ${dataset.name}: swept in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return result;
}

async function main(): Promise<void> {
  const started = performance.now();
  mkdirSync(RESULTS, { recursive: true });
  mkdirSync(PLOTS, { recursive: true });
  const nq = Number(values.queries);
  const rows: SweepRow[] = [];
  const builds: SweepBuild[] = [];
  for (const name of values.datasets.split(',').filter((s) => s !== '')) {
    const dataset = await loadEngineDataset(name, nq);
    if (dataset === undefined) continue;
    const result = await sweep(dataset);
    rows.push(...result.rows);
    builds.push(...result.builds);
  }
  if (!values['skip-synthetic']) {
    for (const n of values.full ? [200_000, 1_000_000] : [200_000]) {
      const result = await sweep(syntheticClusteredDataset({ n, dim: 128, nq }));
      rows.push(...result.rows);
      builds.push(...result.builds);
    }
  }
  const sections = [
    `Reproduce: \`${COMMAND}\` (one thread per system, ${nq} queries per dataset, recall@10 with ties; run took see below).`,
    '',
    '### Headline ratios',
    '',
    headlineTable(rows),
    '',
    '### Builds',
    '',
    '| dataset | system | build s | partitions |',
    '|---|---|---:|---:|',
    ...builds.map(
      (b) => `| ${b.dataset} | ${b.system} | ${b.buildSeconds.toFixed(1)} | ${b.partitions ?? '-'} |`,
    ),
    '',
    '### Full sweep',
    '',
    sweepTable(rows),
  ];
  if (!values['skip-serve']) {
    const serve = await runServeBench({ log });
    writeJson('serve.json', serve);
    await plot(
      'serve-latency.svg',
      latencySpec(
        [
          ['one hop', serve.oneHop],
          ['single query', serve.warmSingle],
          ['label 10%', serve.warmFilteredLabel10],
          [`batch of ${serve.batch.size}`, serve.batch.requestLatency],
        ].flatMap(([measure, s]) =>
          (['p50', 'p95', 'p99'] as const).map((percentile) => ({
            measure: measure as string,
            percentile,
            ms: (s as ServeBenchResult['warmSingle'])[percentile],
          })),
        ),
        `reproduce: ${COMMAND}`,
      ),
    );
    const cost = await writeCostAndScale(serve, COMMAND);
    sections.push(
      '',
      '### squash serve (local runtime)',
      '',
      serveBenchTable(serve),
      '',
      '### Cost (model)',
      '',
      cost,
    );
  }
  const minutes = (performance.now() - started) / 60_000;
  sections[0] = sections[0]!.replace('run took see below', `the run took ${minutes.toFixed(1)} min`);
  rewriteBetweenMarkers(join(DOCS, 'benchmarks.md'), 'bench', sections.join('\n'), '# Benchmarks\n');
  writeJson('summary.json', { minutes, command: COMMAND, queries: nq });
  console.log(sections.join('\n'));
  log(`[bench] done in ${minutes.toFixed(1)} min`);
}

await main();
