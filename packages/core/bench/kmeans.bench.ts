/**
 * Balanced k-means at index-build scale: 1,000,000 x 128 seeded clustered rows into 100
 * partitions. Prints seconds for data generation, training (k-means++ and Lloyd on the default
 * sample), balanced assignment of every row, and their sum (what `balancedKMeans` runs), plus
 * the partition size range and the inertia. Wall and process-CPU seconds are both printed: on a
 * machine shared with other work, CPU seconds are the steadier figure.
 *
 *   node --import tsx packages/core/bench/kmeans.bench.ts
 *
 * The synthetic data are 128 Gaussian blobs (centres ~ N(0, 1) per dimension, unit noise) of
 * deliberately uneven weight (1x to 4x), so the nearest-centroid partition is unbalanced and the
 * constrained assignment has real work to do.
 */
import { assignBalanced, type KMeansBackend, trainCentroids } from '../src/kmeans/index.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

// This package is pure (no Node types); the script only needs these host globals.
declare const console: { log(...values: unknown[]): void };
declare const performance: { now(): number };
declare const process: { cpuUsage(): { user: number; system: number } };

const N = 1_000_000;
const DIM = 128;
const PARTITIONS = 100;
const BLOBS = 128;
const SEED = 42;
/** 'auto' uses WebAssembly SIMD when available; set 'ts' to time the TypeScript kernels. */
const BACKEND: KMeansBackend = 'auto';

function gaussianBlobs(n: number, dim: number, blobs: number, seed: number): Float32Array {
  const random = new SeededRandom(seed);
  const centres = new Float32Array(blobs * dim);
  for (let i = 0; i < centres.length; i++) centres[i] = random.nextGaussian();
  const cumulative = new Float64Array(blobs);
  let total = 0;
  for (let b = 0; b < blobs; b++) {
    total += 1 + (b % 4);
    cumulative[b] = total;
  }
  const data = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const target = random.nextFloat() * total;
    let blob = 0;
    while (cumulative[blob]! <= target) blob++;
    for (let j = 0; j < dim; j++) data[i * dim + j] = centres[blob * dim + j]! + random.nextGaussian();
  }
  return data;
}

interface Mark {
  readonly wallMs: number;
  readonly cpuMicros: number;
}

function mark(): Mark {
  const { user, system } = process.cpuUsage();
  return { wallMs: performance.now(), cpuMicros: user + system };
}

/** Wall-clock and process CPU seconds since `start` (CPU shows the cost on a shared machine). */
function since(start: Mark): { wall: number; cpu: number } {
  const now = mark();
  return { wall: (now.wallMs - start.wallMs) / 1000, cpu: (now.cpuMicros - start.cpuMicros) / 1e6 };
}

function format({ wall, cpu }: { wall: number; cpu: number }): string {
  return `${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU`;
}

const genStart = mark();
const data = gaussianBlobs(N, DIM, BLOBS, SEED);
const genTime = since(genStart);

const trainStart = mark();
const trained = trainCentroids(data, N, DIM, { partitions: PARTITIONS, seed: SEED, backend: BACKEND });
const trainTime = since(trainStart);

const assignStart = mark();
const assigned = assignBalanced(data, N, DIM, trained.centroids, PARTITIONS, { backend: BACKEND });
const assignTime = since(assignStart);
const totalTime = { wall: trainTime.wall + assignTime.wall, cpu: trainTime.cpu + assignTime.cpu };

const minSize = Math.min(...assigned.sizes);
const maxSize = Math.max(...assigned.sizes);
console.log(`balanced k-means: n=${N} dim=${DIM} partitions=${PARTITIONS} seed=${SEED} backend=${BACKEND}`);
console.log(`generate data:  ${format(genTime)} (not part of k-means)`);
console.log(
  `train:          ${format(trainTime)} ` +
    `(${trained.trainRows} rows, ${trained.iterations} Lloyd + ${trained.balancedIterations} balanced steps)`,
);
console.log(`assign:         ${format(assignTime)} (${assigned.localSearchMoves} row moves by local search)`);
console.log(`total:          ${format(totalTime)}`);
console.log(
  `partition size: min ${minSize}, max ${maxSize} (bounds ${assigned.sizeBounds.min}..${assigned.sizeBounds.max})`,
);
console.log(
  `inertia:        ${assigned.inertia.toExponential(4)} (${(assigned.inertia / N).toFixed(2)} per row)`,
);
