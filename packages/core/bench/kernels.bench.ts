/**
 * TypeScript vs WebAssembly SIMD distance scans on seeded random float32 data.
 *
 *   npm run bench:kernels
 *
 * Shapes: 100,000 x 128 (SIFT-like) and 60,000 x 784 (Fashion-MNIST-like); metrics l2, ip, cosine.
 * Each cell scans every row for a series of queries after a warm-up and reports the median query:
 * vectors per second and GB/s of matrix read (n * dim * 4 bytes per query). Prints a Markdown
 * table; the last line is `simd-speedup: <ratio>`, the WASM / TS throughput ratio for float32 l2 on
 * 100,000 x 128 (CI reads it).
 */
import type { Metric } from '../src/distance/metric.ts';
import type { VectorScanner } from '../src/distance/vector-scanner.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';
import { createScanner } from '../src/wasm/index.ts';

/** `@squash/core` compiles without DOM or Node types; the two globals a benchmark needs. */
const { console, performance } = globalThis as unknown as {
  console: { log(...values: unknown[]): void };
  performance: { now(): number };
};

interface Shape {
  readonly n: number;
  readonly dim: number;
}

interface Measurement {
  readonly shape: Shape;
  readonly metric: Metric;
  readonly backend: 'ts' | 'wasm';
  readonly medianMs: number;
}

const SHAPES: readonly Shape[] = [
  { n: 100_000, dim: 128 },
  { n: 60_000, dim: 784 },
];
const METRICS: readonly Metric[] = ['l2', 'ip', 'cosine'];
const BACKENDS = ['ts', 'wasm'] as const;
const WARMUP_QUERIES = 3;
/** Per cell: at least this many timed queries, and more until MIN_CELL_MS has elapsed. */
const MIN_QUERIES = 7;
const MIN_CELL_MS = 1_000;

function randomMatrix(rows: number, dim: number, seed: number): Float32Array {
  const random = new SeededRandom(seed);
  const data = new Float32Array(rows * dim);
  for (let i = 0; i < data.length; i++) data[i] = random.nextFloat() * 2 - 1;
  return data;
}

function measure(scanner: VectorScanner, queries: Float32Array, dim: number): number {
  const out = new Float32Array(scanner.n);
  const queryCount = queries.length / dim;
  const query = (i: number): Float32Array =>
    queries.subarray((i % queryCount) * dim, ((i % queryCount) + 1) * dim);
  for (let i = 0; i < WARMUP_QUERIES; i++) scanner.distancesToAll(query(i), out);
  const timesMs: number[] = [];
  const started = performance.now();
  for (let i = 0; timesMs.length < MIN_QUERIES || performance.now() - started < MIN_CELL_MS; i++) {
    const t0 = performance.now();
    scanner.distancesToAll(query(i), out);
    timesMs.push(performance.now() - t0);
  }
  timesMs.sort((a, b) => a - b);
  return timesMs[Math.floor(timesMs.length / 2)]!;
}

function row(m: Measurement, tsMs: number): string {
  const { n, dim } = m.shape;
  const vectorsPerS = n / (m.medianMs / 1_000);
  const gbPerS = (n * dim * 4) / (m.medianMs / 1_000) / 1e9;
  const speedup = tsMs / m.medianMs;
  return `| ${n.toLocaleString('en-US')} x ${dim} | ${m.metric} | ${m.backend} | ${m.medianMs.toFixed(2)} | ${(
    vectorsPerS / 1e6
  ).toFixed(2)} M | ${gbPerS.toFixed(2)} | ${speedup.toFixed(2)}x |`;
}

function main(): void {
  const lines = [
    '| matrix | metric | backend | ms / query (median) | vectors / s | GB / s | vs ts |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: |',
  ];
  let simdSpeedup = Number.NaN;
  for (const [s, shape] of SHAPES.entries()) {
    const base = randomMatrix(shape.n, shape.dim, 1_000 + s);
    const queries = randomMatrix(16, shape.dim, 2_000 + s);
    for (const metric of METRICS) {
      const measured = BACKENDS.map((backend) => {
        const scanner = createScanner(metric, base, shape.dim, { backend });
        return { shape, metric, backend, medianMs: measure(scanner, queries, shape.dim) };
      });
      const tsMs = measured[0]!.medianMs;
      for (const m of measured) lines.push(row(m, tsMs));
      if (s === 0 && metric === 'l2') simdSpeedup = tsMs / measured[1]!.medianMs;
    }
  }
  console.log(lines.join('\n'));
  console.log(`simd-speedup: ${simdSpeedup.toFixed(2)}`);
}

main();
