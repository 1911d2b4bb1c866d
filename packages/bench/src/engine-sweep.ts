import {
  buildIndex,
  ExactIndex,
  SEARCH_PRESETS,
  type SearchParameters,
  type VectorIndex,
} from '@squash/core';
import {
  BENCH_WORKLOADS,
  type EngineDataset,
  groundTruth,
  tiedRecall,
  type Workload,
} from '@squash/datasets';
import { loadPreparedHnswPeer, maskFilter } from './hnsw-peer.ts';

/** One measured (dataset, system, setting, workload) point. */
export interface SweepRow {
  readonly dataset: string;
  readonly system: 'squash' | 'exact (wasm)' | 'hnswlib-node';
  readonly setting: string;
  readonly workload: string;
  readonly selectivity: string;
  readonly recall: number;
  readonly qps: number;
  readonly partitionsVisited?: number;
  readonly bytesPerQuery?: number;
}

export interface SweepBuild {
  readonly dataset: string;
  readonly system: string;
  readonly buildSeconds: number;
  readonly partitions?: number;
  readonly indexBytes?: number;
}

/** The three squash settings of the sweep: core's `SEARCH_PRESETS`. */
export const SQUASH_SETTINGS: ReadonlyArray<readonly [string, Partial<SearchParameters>]> =
  Object.entries(SEARCH_PRESETS);

/** hnswlib-node ef values of the sweep (M = 16, efConstruction = 200). */
export const HNSW_EFS = [32, 64, 128] as const;

const K = 10;
type Truths = Map<Workload, Array<{ ids: number[]; distances: number[] }>>;

function timeQueries(nq: number, run: (q: number) => void): number {
  const start = performance.now();
  for (let q = 0; q < nq; q++) run(q);
  return nq / ((performance.now() - start) / 1000);
}

function queryOf(dataset: EngineDataset, q: number): Float32Array {
  return dataset.queries.subarray(q * dataset.dim, (q + 1) * dataset.dim);
}

function squashRows(index: VectorIndex, dataset: EngineDataset, truths: Truths): SweepRow[] {
  const rows: SweepRow[] = [];
  for (const [setting, parameters] of SQUASH_SETTINGS) {
    for (const workload of BENCH_WORKLOADS) {
      const truth = truths.get(workload)!;
      let recall = 0;
      let visited = 0;
      let bytes = 0;
      const qps = timeQueries(dataset.nq, (q) => {
        const result = index.search(queryOf(dataset, q), {
          topK: K,
          filter: workload.filterFor(q),
          parameters,
        });
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
  }
  return rows;
}

function exactRows(exact: ExactIndex, dataset: EngineDataset): SweepRow[] {
  return BENCH_WORKLOADS.map((workload) => ({
    dataset: dataset.name,
    system: 'exact (wasm)',
    setting: '-',
    workload: workload.name,
    selectivity: workload.selectivity,
    recall: 1,
    qps: timeQueries(dataset.nq, (q) => {
      exact.search(queryOf(dataset, q), { topK: K, filter: workload.filterFor(q) });
    }),
  }));
}

/**
 * Sweeps one dataset: squash at three settings, exact WebAssembly brute force, hnswlib-node at
 * three ef values (when installed), each unfiltered and at 50%, 10% and 1% filters. One thread,
 * sequential queries, recall@10 with ties.
 */
export async function sweepDataset(
  dataset: EngineDataset,
  log: (line: string) => void,
): Promise<{ rows: SweepRow[]; builds: SweepBuild[] }> {
  const exact = new ExactIndex(dataset.metric, dataset.base, dataset.dim, dataset.attributes);
  const truths: Truths = new Map(BENCH_WORKLOADS.map((w) => [w, groundTruth(exact, dataset, w, K)]));
  const start = performance.now();
  const index = buildIndex(dataset.base, dataset.n, dataset.dim, {
    metric: dataset.metric,
    attributes: dataset.attributes,
  });
  const buildSeconds = (performance.now() - start) / 1000;
  const builds: SweepBuild[] = [
    { dataset: dataset.name, system: 'squash', buildSeconds, partitions: index.parts.partitions.length },
  ];
  log(
    `[bench] ${dataset.name}: squash built in ${buildSeconds.toFixed(1)} s (${index.parts.partitions.length} partitions)`,
  );
  const rows = [...squashRows(index, dataset, truths), ...exactRows(exact, dataset)];
  const peer = await loadPreparedHnswPeer(dataset);
  if (peer !== undefined) {
    builds.push({ dataset: dataset.name, system: 'hnswlib-node', buildSeconds: peer.buildSeconds });
    log(`[bench] ${dataset.name}: hnswlib-node built in ${peer.buildSeconds.toFixed(1)} s`);
    for (const workload of BENCH_WORKLOADS) {
      const truth = truths.get(workload)!;
      const allowed = Array.from({ length: dataset.nq }, (_, q) =>
        maskFilter(dataset.n, exact.matchingRows(workload.filterFor(q))),
      );
      for (const ef of HNSW_EFS) {
        let recall = 0;
        const qps = timeQueries(dataset.nq, (q) => {
          recall += tiedRecall(truth[q]!, peer.search(queryOf(dataset, q), K, ef, allowed[q]), K);
        });
        rows.push({
          dataset: dataset.name,
          system: 'hnswlib-node',
          setting: `ef=${ef}`,
          workload: workload.name,
          selectivity: workload.selectivity,
          recall: recall / dataset.nq,
          qps,
        });
      }
    }
  }
  return { rows, builds };
}

/** Sweep rows as a Markdown table. */
export function sweepTable(rows: readonly SweepRow[]): string {
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
