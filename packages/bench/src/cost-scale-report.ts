import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@squash/serve';
import { costFromServe, costTable, scaleTable, validateAgainstServe } from './bench-report.ts';
import { alwaysOnServerCost } from './cost-model.ts';
import { rewriteBetweenMarkers } from './docs-markers.ts';
import { costSpec, renderSvg } from './plots.ts';
import { type MeasuredCalibration, projectScale } from './scale-model.ts';
import type { ServeBenchResult } from './serve-bench.ts';

const RESULTS = join(REPO_ROOT, 'bench-results');
const DOCS = join(REPO_ROOT, 'docs');

function writeJson(name: string, value: unknown): void {
  writeFileSync(join(RESULTS, name), `${JSON.stringify(value, null, 2)}\n`);
}

function calibrationOf(serve: ServeBenchResult): MeasuredCalibration {
  return {
    computeMsPerPartitionSearch: serve.inProcess.computeMsPerPartitionSearch,
    rowsPerPartition: serve.n / serve.partitions,
    partitionsPerQuery: serve.partitionsPerQuery,
    partitions: serve.partitions,
  };
}

/**
 * Applies the cost model and the scale projection to a serve result: writes
 * bench-results/cost.json and scale.json, the `cost` block of docs/cost-model.md, the `scale`
 * block of docs/scale.md and docs/plots/cost-vs-size.svg. Returns the cost table.
 */
export async function writeCostAndScale(serve: ServeBenchResult, command: string): Promise<string> {
  const COMMAND = command;
  const cost = costFromServe(serve);
  writeJson('cost.json', cost);
  rewriteBetweenMarkers(
    join(DOCS, 'cost-model.md'),
    'cost',
    `Measured inputs: bench-results/serve.json (${serve.dataset}, ${serve.partitions} partitions). Reproduce: \`${COMMAND}\`.\n\n${costTable(cost, serve)}`,
  );
  const calibration = calibrationOf(serve);
  const projections = [10e6, 100e6, 1e9].map((vectors) => projectScale({ vectors, dim: 768 }, calibration));
  const validation = validateAgainstServe(serve);
  writeJson('scale.json', { calibration, projections, validation, measured: serve.warmSingle });
  rewriteBetweenMarkers(
    join(DOCS, 'scale.md'),
    'scale',
    [
      `Calibration (measured, bench-results/serve.json): ${calibration.computeMsPerPartitionSearch.toFixed(2)} ms per partition search at ${calibration.rowsPerPartition.toFixed(0)} rows, ${calibration.partitionsPerQuery.toFixed(2)} of ${calibration.partitions} partitions per query. Reproduce: \`${COMMAND}\`.`,
      '',
      scaleTable(projections),
      '',
      `Validation on the local run: the model predicts p50 ${validation.predictedP50Ms.toFixed(1)} ms / p99 ${validation.predictedP99Ms.toFixed(1)} ms; measured p50 ${serve.warmSingle.p50.toFixed(1)} ms / p99 ${serve.warmSingle.p99.toFixed(1)} ms.`,
    ].join('\n'),
  );
  const points = [1e6, 3e6, 10e6, 30e6, 100e6, 300e6, 1e9].flatMap((vectors) => {
    const p = projectScale({ vectors, dim: 768 }, calibration);
    return [
      {
        deployment: 'serverless, single queries',
        vectors,
        dollarsPerMillion: p.cost.dollarsPerMillionQueries,
      },
      ...[10, 100].map((qps) => ({
        deployment: `always-on r6g/r7g at ${qps} q/s`,
        vectors,
        dollarsPerMillion: alwaysOnServerCost({ indexBytes: p.indexBytes, qps }).dollarsPerMillionQueries,
      })),
    ];
  });
  writeFileSync(
    join(DOCS, 'plots', 'cost-vs-size.svg'),
    await renderSvg(costSpec(points, `reproduce: ${COMMAND} (cost model, docs/cost-model.md)`)),
  );
  return costTable(cost, serve);
}
