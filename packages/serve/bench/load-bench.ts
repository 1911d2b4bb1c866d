/**
 * `npm run bench:load`: `squash serve` under load on the sample MNIST index (issue 11), on
 * 127.0.0.1 only, bounded in time (about 3 minutes of load plus set-up):
 *
 * 1. the in-process engine's queries/s on the same index and queries (one thread);
 * 2. 50 clients for 60 s; 3. 200 clients for 30 s;
 * 4. 50 clients for 30 s with one processor worker SIGKILLed at 10 s and a coordinator worker at 20 s.
 *
 * For each phase: responses by status, responses other than 2xx and 429, socket errors and
 * timeouts, served queries/s, latency, `/health` latency (polled every 100 ms during the load),
 * worker processes and their RSS; after each phase `/health` and one query checked against the
 * in-process answer. Targets: no response but 2xx and clean 429; `/health` p99 < 100 ms; healthy
 * and correct after each phase; with 50 clients at least half the in-process queries/s.
 * Options: `--scale 0.1` shortens every phase (a quick check, not a figure for the docs).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadMnistDigits } from '@squash/datasets';
import { loadIndex } from '@squash/index-format';
import { FilesystemBlobStore } from '@squash/storage';
import { REPO_ROOT } from '../src/bundle-handlers.ts';
import { buildSampleIndex } from '../src/sample-index.ts';

interface AutocannonResult {
  readonly requests: { readonly average: number; readonly total: number };
  readonly latency: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const QUERY_COUNT = 200;
const TOP_K = 10;

interface Phase {
  readonly name: string;
  readonly connections: number;
  readonly durationS: number;
  /** Seconds into the phase at which to SIGKILL a worker of that kind. */
  readonly kills?: readonly { readonly atS: number; readonly kind: 'processor' | 'coordinator' }[];
}

interface Host {
  readonly child: ChildProcess;
  readonly url: string;
  command(line: string): Promise<Record<string, unknown>>;
}

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' } } });
const scale = Number(values.scale);
const log = (line: string): void => console.error(`[bench:load] ${line}`);

async function main(): Promise<void> {
  const sample = await buildSampleIndex(undefined, log);
  const bodies = await queryBodies();
  const inProcessQps = await measureInProcess(sample.dir, bodies);
  log(`in-process engine: ${inProcessQps.toFixed(0)} queries/s (one thread)`);
  const host = await startHost(sample.dir);
  try {
    // Warm every coordinator and processor worker (and the reads lane, through the /health poller).
    await runLoad(host, bodies, { name: 'warm-up', connections: 50, durationS: 10 });
    const phases: Phase[] = [
      { name: '50 clients', connections: 50, durationS: 60 * scale },
      { name: '200 clients', connections: 200, durationS: 30 * scale },
      {
        name: '50 clients, processor then coordinator killed',
        connections: 50,
        durationS: 30 * scale,
        kills: [
          { atS: 10 * scale, kind: 'processor' },
          { atS: 20 * scale, kind: 'coordinator' },
        ],
      },
    ];
    const rows = [];
    for (const phase of phases) {
      const row = await runLoad(host, bodies, phase);
      rows.push({ ...row, afterwards: await checkHealthy(host.url, bodies[0]!, sample.dir) });
    }
    console.log(JSON.stringify({ inProcessQps, phases: rows }, null, 2));
    printTable(inProcessQps, rows);
  } finally {
    await stopHost(host);
  }
}

/** 200 digits spread over the 10,000, topK 10; every other one filtered to labels 3, 5 and 8. */
async function queryBodies(): Promise<string[]> {
  const digits = await loadMnistDigits();
  return Array.from({ length: QUERY_COUNT }, (_, i) => {
    const row = (i * 49) % digits.n;
    const vector = Array.from(digits.base.subarray(row * 784, (row + 1) * 784));
    return JSON.stringify({
      vector,
      topK: TOP_K,
      ...(i % 2 === 1 ? { filter: { label: { $in: [3, 5, 8] } } } : {}),
    });
  });
}

/** The same queries through `VectorIndex.search` in this process for 5 s (warmed first). */
async function measureInProcess(dir: string, bodies: readonly string[]): Promise<number> {
  const { index } = await loadIndex(new FilesystemBlobStore({ rootDir: dir }));
  const queries = bodies.map(
    (body) => JSON.parse(body) as { vector: number[]; topK: number; filter?: unknown },
  );
  const vectors = queries.map((q) => Float32Array.from(q.vector));
  const run = (i: number) => {
    const q = queries[i % queries.length]!;
    index.search(vectors[i % queries.length]!, {
      topK: q.topK,
      ...(q.filter === undefined ? {} : { filter: q.filter }),
    });
  };
  for (let i = 0; i < queries.length; i++) run(i);
  const started = performance.now();
  let done = 0;
  while (performance.now() - started < 5000) run(done++);
  return done / ((performance.now() - started) / 1000);
}

async function startHost(indexDir: string): Promise<Host> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(REPO_ROOT, 'packages/serve/bench/serve-host.ts'),
      indexDir,
      join(REPO_ROOT, '.squash-data', 'bundles'),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const line = await lines.next();
    if (line.done === true) throw new Error('the serve host exited');
    return JSON.parse(line.value) as Record<string, unknown>;
  };
  const ready = await next();
  log(`squash serve at ${String(ready.url)}`);
  return {
    child,
    url: String(ready.url),
    command: async (line) => {
      child.stdin!.write(`${line}\n`);
      return next();
    },
  };
}

async function stopHost(host: Host): Promise<void> {
  const exited = new Promise((resolve) => host.child.once('exit', resolve));
  host.child.stdin!.write('stop\n');
  const timer = setTimeout(() => host.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function runLoad(host: Host, bodies: readonly string[], phase: Phase) {
  log(`${phase.name}: ${phase.connections} connections for ${phase.durationS} s`);
  let next = 0;
  const health = pollHealth(host.url, phase.durationS * 1000);
  const kills = (phase.kills ?? []).map(
    (kill) =>
      new Promise<string>((resolve) =>
        setTimeout(() => void killWorker(host, kill.kind).then(resolve), kill.atS * 1000),
      ),
  );
  const result = await autocannon({
    url: host.url,
    connections: phase.connections,
    duration: phase.durationS,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/v1/indexes/mnist/query',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request: Record<string, unknown>) => ({
          ...request,
          body: bodies[next++ % bodies.length],
        }),
      },
    ],
  });
  const footprint = await workerFootprint(host);
  const healthMs = await health;
  const byStatus = Object.fromEntries(Object.entries(result.statusCodeStats).map(([s, v]) => [s, v.count]));
  const ok = Object.entries(byStatus)
    .filter(([s]) => s.startsWith('2'))
    .reduce((sum, [, n]) => sum + n, 0);
  const throttled = byStatus['429'] ?? 0;
  return {
    phase: phase.name,
    connections: phase.connections,
    durationS: phase.durationS,
    byStatus,
    otherThan2xxOr429: result.non2xx - throttled,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    servedQps: ok / phase.durationS,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    healthMs,
    kills: await Promise.all(kills),
    ...footprint,
  };
}

/** GET /health every 100 ms for `durationMs`; latency percentiles and failures. */
async function pollHealth(url: string, durationMs: number) {
  const latencies: number[] = [];
  let failures = 0;
  const until = Date.now() + durationMs;
  while (Date.now() < until) {
    const started = performance.now();
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) });
      await response.text();
      if (response.status !== 200) failures++;
    } catch {
      failures++;
    }
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
  return {
    samples: latencies.length,
    failures,
    p50: at(0.5),
    p99: at(0.99),
    max: latencies.at(-1) ?? Number.NaN,
  };
}

async function killWorker(host: Host, kind: 'processor' | 'coordinator'): Promise<string> {
  const { workers } = (await host.command('workers')) as { workers: Record<string, number[]> };
  const name =
    kind === 'coordinator'
      ? 'squash-coordinator'
      : Object.keys(workers).find((n) => n.startsWith('squash-processor') && workers[n]!.length > 0);
  const pid = name === undefined ? undefined : workers[name]?.[0];
  if (pid === undefined) return `no ${kind} worker to kill`;
  process.kill(pid, 'SIGKILL');
  log(`killed ${name} worker ${pid}`);
  return `SIGKILL ${name} pid ${pid}`;
}

/** Worker processes of the serve host and the RSS of the whole process tree. */
async function workerFootprint(host: Host): Promise<{ workerProcesses: number; treeRssMb: number }> {
  const { workers } = (await host.command('workers')) as { workers: Record<string, number[]> };
  const pids = [host.child.pid!, ...Object.values(workers).flat()];
  const ps = spawnSync('ps', ['-o', 'rss=', '-p', pids.join(',')], { encoding: 'utf8' });
  const rssKb = ps.stdout.split('\n').reduce((sum, line) => sum + (Number(line.trim()) || 0), 0);
  return { workerProcesses: pids.length - 1, treeRssMb: Math.round(rssKb / 1024) };
}

/** `/health` answers, and a query's ids equal the in-process engine's. */
async function checkHealthy(
  url: string,
  body: string,
  dir: string,
): Promise<{ healthy: boolean; correct: boolean }> {
  const health = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
  const served = await fetch(`${url}/v1/indexes/mnist/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(10_000),
  })
    .then((r) => r.json() as Promise<{ matches?: { id: string }[]; complete?: boolean }>)
    .catch(() => undefined);
  const loaded = await loadIndex(new FilesystemBlobStore({ rootDir: dir }));
  const q = JSON.parse(body) as { vector: number[]; topK: number };
  const expected = loaded.index
    .search(Float32Array.from(q.vector), { topK: q.topK })
    .ids.map((row) => loaded.idOf(row));
  const correct =
    served?.complete === true &&
    JSON.stringify(served.matches?.map((m) => m.id)) === JSON.stringify(expected);
  return { healthy: health?.status === 200, correct };
}

function printTable(inProcessQps: number, rows: readonly Awaited<ReturnType<typeof runLoad>>[]): void {
  console.log(`\nin-process engine: ${inProcessQps.toFixed(0)} queries/s\n`);
  console.log(
    '| phase | served q/s | p50 / p99 ms | statuses | other than 2xx/429 | errors / timeouts | /health p50 / p99 / max ms | workers / RSS MB |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.phase} | ${r.servedQps.toFixed(0)} | ${r.latencyMs.p50} / ${r.latencyMs.p99} | ${JSON.stringify(r.byStatus)} | ${r.otherThan2xxOr429} | ${r.socketErrors} / ${r.timeouts} | ${r.healthMs.p50.toFixed(1)} / ${r.healthMs.p99.toFixed(1)} / ${r.healthMs.max.toFixed(1)} | ${r.workerProcesses} / ${r.treeRssMb} |`,
    );
  }
}

await main();
