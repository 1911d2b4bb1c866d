import { alwaysOnServerCost, idleDollarsPerMonth, serverlessCost } from './cost-model.ts';
import type { SweepRow } from './engine-sweep.ts';
import { SQUASH_PAPER_DOLLARS_PER_QUERY_SIFT1M } from './price-table.ts';
import { latencyQuantileMs, type ScaleProjection } from './scale-model.ts';
import type { ServeBenchResult } from './serve-bench.ts';

const fmt = (v: number, digits = 0): string =>
  v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/**
 * Headline ratios per dataset and workload: squash (default) and hnswlib-node (ef = 64) against
 * exact brute force, with each one's recall, and the fastest setting of each reaching recall 0.95.
 */
export function headlineTable(rows: readonly SweepRow[]): string {
  const lines = [
    '| dataset | workload | selectivity | exact q/s | squash default q/s (recall) | hnswlib ef=64 q/s (recall) | squash / exact | squash / hnswlib | fastest >= 0.95: squash | fastest >= 0.95: hnswlib |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const keys = [...new Set(rows.map((r) => `${r.dataset}\u0000${r.workload}\u0000${r.selectivity}`))];
  for (const key of keys) {
    const [dataset, workload, selectivity] = key.split('\u0000') as [string, string, string];
    const of = (r: SweepRow): boolean =>
      r.dataset === dataset && r.workload === workload && r.selectivity === selectivity;
    const exact = rows.find((r) => of(r) && r.system === 'exact (wasm)');
    const squash = rows.find((r) => of(r) && r.system === 'squash' && r.setting === 'default');
    const hnsw = rows.find((r) => of(r) && r.system === 'hnswlib-node' && r.setting === 'ef=64');
    const fastest = (system: string): string => {
      const ok = rows.filter((r) => of(r) && r.system === system && r.recall >= 0.95);
      if (ok.length === 0) return 'none';
      const best = ok.reduce((a, b) => (b.qps > a.qps ? b : a));
      return `${fmt(best.qps)} (${best.setting})`;
    };
    const ratio = (a: SweepRow | undefined, b: SweepRow | undefined): string =>
      a === undefined || b === undefined ? '-' : `${(a.qps / b.qps).toFixed(2)}x`;
    lines.push(
      `| ${dataset} | ${workload} | ${selectivity} | ${exact === undefined ? '-' : fmt(exact.qps)} | ${squash === undefined ? '-' : `${fmt(squash.qps)} (${squash.recall.toFixed(3)})`} | ${hnsw === undefined ? '-' : `${fmt(hnsw.qps)} (${hnsw.recall.toFixed(3)})`} | ${ratio(squash, exact)} | ${ratio(squash, hnsw)} | ${fastest('squash')} | ${fastest('hnswlib-node')} |`,
    );
  }
  return lines.join('\n');
}

export interface CostSummary {
  readonly warmSingle: number;
  readonly warmSingleColdShare10: number;
  readonly warmBatch100: number;
  readonly idleDollarsPerMonth: number;
  readonly server: Array<{
    qps: number;
    instance: string;
    count: number;
    dollarsPerMonth: number;
    dollarsPerMillion: number;
  }>;
  readonly processorMemoryMb: number;
}

/** The cost model applied to the measured serve run (Fashion-MNIST, 8 partitions). */
export function costFromServe(serve: ServeBenchResult, processorMemoryMb = 512): CostSummary {
  const common = {
    computeMsPerPartitionSearch: serve.inProcess.computeMsPerPartitionSearch,
    partitionsPerQuery: serve.partitionsPerQuery,
    processorMemoryMb,
    waitingMemoryMb: 1024,
  };
  const single = {
    ...common,
    processorInvocationsPerRequest: serve.invocationsPerQuery,
    requestLatencyMs: serve.warmSingle.p50,
  };
  const batchProcessors = serve.batch.invocationsPerQuery * serve.batch.size;
  return {
    warmSingle: serverlessCost(single).dollarsPerMillionQueries,
    warmSingleColdShare10: serverlessCost({
      ...single,
      coldStartShare: 0.1,
      coldStartMs: 600,
      coldLoadBytes: serve.indexBytes / serve.partitions,
    }).dollarsPerMillionQueries,
    warmBatch100: serverlessCost({
      ...common,
      processorInvocationsPerRequest: batchProcessors,
      queriesPerRequest: serve.batch.size,
      requestLatencyMs: serve.batch.requestLatency.p50,
    }).dollarsPerMillionQueries,
    idleDollarsPerMonth: idleDollarsPerMonth(serve.indexBytes),
    server: [1, 10, 100].map((qps) => {
      const s = alwaysOnServerCost({
        indexBytes: serve.indexBytes,
        qps,
        qpsPerVcpu: serve.inProcess.queriesPerSecond,
      });
      return {
        qps,
        instance: s.instance.type,
        count: s.count,
        dollarsPerMonth: s.dollarsPerMonth,
        dollarsPerMillion: s.dollarsPerMillionQueries,
      };
    }),
    processorMemoryMb,
  };
}

export function costTable(c: CostSummary, serve: ServeBenchResult): string {
  const lines = [
    '| deployment | $ per million queries | $ per month |',
    '|---|---:|---:|',
    `| serverless, single queries, warm (${c.processorMemoryMb} MB processors) | ${c.warmSingle.toFixed(2)} | ${c.idleDollarsPerMonth.toFixed(4)} idle (S3 only) |`,
    `| serverless, single queries, 10% of processor invocations cold | ${c.warmSingleColdShare10.toFixed(2)} | - |`,
    `| serverless, query:batch of ${serve.batch.size}, warm | ${c.warmBatch100.toFixed(2)} | - |`,
    ...c.server.map(
      (s) =>
        `| always-on ${s.count} x ${s.instance} at ${s.qps} queries/s | ${s.dollarsPerMillion.toFixed(2)} | ${s.dollarsPerMonth.toFixed(2)} |`,
    ),
    `| SQUASH paper, SIFT1M (for orientation) | ${(SQUASH_PAPER_DOLLARS_PER_QUERY_SIFT1M * 1e6).toFixed(2)} | - |`,
  ];
  return lines.join('\n');
}

export function scaleTable(projections: readonly ScaleProjection[]): string {
  const lines = [
    '| vectors (768-d) | partitions (MB each) | processor functions x memory | partitions / processors per query | tree depth | ms per partition | p50 / p99 ms | $ per million queries | index GB (S3 $/month) | coordinator state MB (cold load s) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const p of projections) {
    lines.push(
      `| ${fmt(p.vectors)} | ${fmt(p.partitions)} (${p.partitionMb.toFixed(0)}) | ${fmt(p.processorFunctions)} x ${p.processorMemoryMb} MB | ${p.partitionsPerQuery.toFixed(0)} / ${p.processorsPerQuery} | ${p.treeDepth} | ${p.computeMsPerPartition.toFixed(1)} | ${p.p50Ms.toFixed(0)} / ${p.p99Ms.toFixed(0)} | ${p.cost.dollarsPerMillionQueries.toFixed(2)} | ${fmt(p.indexBytes / 1e9, 1)} (${idleDollarsPerMonth(p.indexBytes).toFixed(2)}) | ${fmt(p.coordinatorStateMb)} (${p.coordinatorColdLoadSeconds.toFixed(1)}) |`,
    );
  }
  return lines.join('\n');
}

/**
 * The model's prediction for the local serve run, with the local per-hop cost (measured as the
 * coordinator-only round trip) in place of the Lambda invoke assumption and no API Gateway:
 * two hops (front -> coordinator, coordinator -> processors), processors in parallel.
 */
export function validateAgainstServe(serve: ServeBenchResult): {
  predictedP50Ms: number;
  predictedP99Ms: number;
} {
  const processors = Math.max(1, Math.round(serve.invocationsPerQuery));
  const inputs = {
    hops: 2,
    widthPerHop: processors,
    fixedMs: serve.inProcess.computeMsPerPartitionSearch * (serve.partitionsPerQuery / processors),
    processors,
    coldPenaltyMs: 0,
  };
  const platform = { invokeMedianMs: serve.oneHop.p50, invokeP99Ms: serve.oneHop.p99, coldStartShare: 0 };
  return {
    predictedP50Ms: latencyQuantileMs(inputs, platform, 0.5),
    predictedP99Ms: latencyQuantileMs(inputs, platform, 0.99),
  };
}
