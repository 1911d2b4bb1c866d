/**
 * Engine benchmark: squash (in-process, one thread) vs exact brute force (WebAssembly SIMD) vs
 * hnswlib-node, on the shared datasets, unfiltered and filtered.
 *
 *   npm run bench:engine                       # all datasets, 1000 queries each
 *   npm run bench:engine -- --dataset mnist --queries 200 --sweep
 *
 * Prints Markdown tables; `--json <file>` also writes the raw figures.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadSharedDataset, type SharedDatasetName } from '../../../test/support/datasets.ts';
import { buildIndex, ExactIndex, type SearchParameters, type VectorIndex } from '../src/index.ts';
import {
  benchmarkAttributes,
  type EngineDataset,
  groundTruth,
  tiedRecall,
  WORKLOADS,
} from './engine-workloads.ts';
import { type HnswPeer, loadHnswPeer } from './hnsw-peer.ts';

const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: 'all' },
    queries: { type: 'string', default: '1000' },
    sweep: { type: 'boolean', default: false },
    json: { type: 'string' },
    'no-hnsw': { type: 'boolean', default: false },
  },
});

const K = 10;

interface Row {
  dataset: string;
  system: string;
  setting: string;
  workload: string;
  selectivity: string;
  recall: number;
  qps: number;
  partitionsVisited?: number;
  bytesPerQuery?: number;
}

async function loadEngineDataset(
  name: SharedDatasetName,
  maxQueries: number,
): Promise<EngineDataset | undefined> {
  const data = await loadSharedDataset(name, { maxQueries });
  if (data === undefined) return undefined;
  return {
    name,
    metric: data.metric,
    dim: data.dim,
    n: data.n,
    base: data.base,
    nq: data.nq,
    queries: data.queries,
    attributes: benchmarkAttributes(data.n, data.baseLabels),
  };
}

function timeQueries(nq: number, run: (q: number) => void): number {
  const start = performance.now();
  for (let q = 0; q < nq; q++) run(q);
  return nq / ((performance.now() - start) / 1000);
}

function measureSquash(
  index: VectorIndex,
  dataset: EngineDataset,
  parameters: Partial<SearchParameters>,
  setting: string,
  truths: Map<string, Array<{ ids: number[]; distances: number[] }>>,
): Row[] {
  const rows: Row[] = [];
  for (const workload of WORKLOADS) {
    const truth = truths.get(workload.name + workload.selectivity)!;
    let recall = 0;
    let visited = 0;
    let bytes = 0;
    const qps = timeQueries(dataset.nq, (q) => {
      const query = dataset.queries.subarray(q * dataset.dim, (q + 1) * dataset.dim);
      const result = index.search(query, { topK: K, filter: workload.filterFor(q), parameters });
      recall += tiedRecall(truth[q]!, result, K);
      visited += result.stats.partitionsVisited;
      bytes += result.stats.bytesTouched;
    });
    rows.push({
      dataset: dataset.name,
      system: 'squash',
      setting,
      workload: workload.name,
      selectivity: workload.selectivity,
      recall: recall / dataset.nq,
      qps,
      partitionsVisited: visited / dataset.nq,
      bytesPerQuery: bytes / dataset.nq,
    });
  }
  return rows;
}

function measureExact(exact: ExactIndex, dataset: EngineDataset): Row[] {
  return WORKLOADS.map((workload) => ({
    dataset: dataset.name,
    system: 'exact (wasm)',
    setting: '-',
    workload: workload.name,
    selectivity: workload.selectivity,
    recall: 1,
    qps: timeQueries(dataset.nq, (q) => {
      exact.search(dataset.queries.subarray(q * dataset.dim, (q + 1) * dataset.dim), {
        topK: K,
        filter: workload.filterFor(q),
      });
    }),
  }));
}

function measureHnsw(
  peer: HnswPeer,
  dataset: EngineDataset,
  exact: ExactIndex,
  truths: Map<string, Array<{ ids: number[]; distances: number[] }>>,
  ef: number,
): Row[] {
  return WORKLOADS.map((workload) => {
    const truth = truths.get(workload.name + workload.selectivity)!;
    let recall = 0;
    const allowed = Array.from({ length: dataset.nq }, (_, q) => exact.matchingRows(workload.filterFor(q)));
    const qps = timeQueries(dataset.nq, (q) => {
      const query = dataset.queries.subarray(q * dataset.dim, (q + 1) * dataset.dim);
      const result = peer.search(query, K, ef, allowed[q]);
      recall += tiedRecall(truth[q]!, result, K);
    });
    return {
      dataset: dataset.name,
      system: 'hnswlib-node',
      setting: `M=16 ef=${ef}`,
      workload: workload.name,
      selectivity: workload.selectivity,
      recall: recall / dataset.nq,
      qps,
    };
  });
}

function table(rows: Row[]): string {
  const lines = [
    '| dataset | system | setting | workload | selectivity | recall@10 | queries/s | partitions | bytes/query |',
    '|---|---|---|---|---|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.dataset} | ${r.system} | ${r.setting} | ${r.workload} | ${r.selectivity} | ${r.recall.toFixed(4)} | ${r.qps.toFixed(0)} | ${r.partitionsVisited?.toFixed(2) ?? '-'} | ${r.bytesPerQuery === undefined ? '-' : Math.round(r.bytesPerQuery).toLocaleString('en-US')} |`,
    );
  }
  return lines.join('\n');
}

const SWEEP: Array<[string, Partial<SearchParameters>]> = [
  ['fast', { nprobeFactor: 1.1, minPartitions: 1, candidateFactor: 5, hammingKeep: 0.15 }],
  ['default', {}],
  ['accurate', { nprobeFactor: 1.6, minPartitions: 3, candidateFactor: 20, hammingKeep: 0.4 }],
];

async function main(): Promise<void> {
  const names: SharedDatasetName[] =
    values.dataset === 'all'
      ? ['mnist', 'fashion-mnist', 'glove-100d']
      : [values.dataset as SharedDatasetName];
  const all: Row[] = [];
  const builds: string[] = [
    '| dataset | system | build s | bytes/vector (codes) | bytes/vector (float32) |',
    '|---|---|---:|---:|---:|',
  ];
  for (const name of names) {
    const dataset = await loadEngineDataset(name, Number(values.queries));
    if (dataset === undefined) continue;
    const exact = new ExactIndex(dataset.metric, dataset.base, dataset.dim, dataset.attributes);
    const truths = new Map(WORKLOADS.map((w) => [w.name + w.selectivity, groundTruth(exact, dataset, w, K)]));
    const start = performance.now();
    const index = buildIndex(dataset.base, dataset.n, dataset.dim, {
      metric: dataset.metric,
      attributes: dataset.attributes,
    });
    const buildSeconds = (performance.now() - start) / 1000;
    const codeBytes =
      index.parts.partitions.reduce((s, p) => s + p.codes.codes.length + p.codes.binary.byteLength, 0) /
      dataset.n;
    builds.push(
      `| ${name} | squash | ${buildSeconds.toFixed(1)} | ${codeBytes.toFixed(1)} | ${dataset.dim * 4} |`,
    );
    console.error(
      `[bench] ${name}: built in ${buildSeconds.toFixed(1)} s, ${index.parts.partitions.length} partitions`,
    );
    const settings = values.sweep ? SWEEP : SWEEP.filter(([s]) => s === 'default');
    for (const [setting, parameters] of settings)
      all.push(...measureSquash(index, dataset, parameters, setting, truths));
    all.push(...measureExact(exact, dataset));
    if (!values['no-hnsw']) {
      const peer = await loadHnswPeer(dataset);
      if (peer !== undefined) {
        builds.push(`| ${name} | hnswlib-node | ${peer.buildSeconds.toFixed(1)} | - | - |`);
        for (const ef of values.sweep ? [32, 64, 128] : [64])
          all.push(...measureHnsw(peer, dataset, exact, truths, ef));
      }
    }
    console.error(table(all.filter((r) => r.dataset === name)));
  }
  console.log(`${table(all)}\n\n${builds.join('\n')}`);
  if (values.json !== undefined) writeFileSync(values.json, JSON.stringify(all, null, 2));
}

await main();
