/**
 * The OSQ fast-scan first stage on its own: GB/s of fast-scan code bytes per core.
 *
 *   npm run bench:fast-scan
 *
 * Seeded Gaussian rows with a decaying spectrum, an OSQ quantizer at 4 bits per dimension capped
 * at 4 bits (so the fast-scan code is the OSQ code: dim / 2 bytes per row), 100,000 rows per
 * scanner. Each cell selects the `keep` best rows for a series of queries after a warm-up and
 * reports the median pass: code bytes read per second (n x bytes per row x queries in the batch,
 * over the wall time of the pass, tables prepared outside the timing) and rows per second.
 * Batches of 8 read each block once for all 8 queries. Prints a Markdown table; the last line is
 * `fast-scan-gbps: <GB/s>`, single query, 100-d, wasm.
 */
import { encodeOsq } from '../src/osq/encode-osq.ts';
import { prepareFastScanQuery } from '../src/osq/fast-scan-tables.ts';
import { FastScanner, type FastScanRequest } from '../src/osq/fast-scanner.ts';
import { trainOsq } from '../src/osq/train-osq.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

const { console, performance } = globalThis as unknown as {
  console: { log(...values: unknown[]): void };
  performance: { now(): number };
};

const ROWS = 100_000;
const TRAIN_ROWS = 4_000;
const KEEP = 100;
const MIN_PASSES = 9;
const MIN_CELL_MS = 1_000;

function rows(random: SeededRandom, n: number, dim: number): Float32Array {
  return Float32Array.from({ length: n * dim }, (_, k) => random.nextGaussian() * 2 ** (-(k % dim) / 16));
}

function medianMs(run: () => void): number {
  for (let i = 0; i < 3; i++) run();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < MIN_PASSES || performance.now() - started < MIN_CELL_MS) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function main(): void {
  const lines = [
    '| rows x dim | code bytes / row | backend | batch | ms / pass (median) | M rows / s per query | GB / s of codes |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: |',
  ];
  let headline = Number.NaN;
  for (const dim of [100, 128, 64]) {
    const random = new SeededRandom(dim);
    const data = rows(random, ROWS, dim);
    const quantizer = trainOsq(data.subarray(0, TRAIN_ROWS * dim), TRAIN_ROWS, dim, {
      bitsPerVector: 4 * dim,
      maxBitsPerDim: 4,
      maxLloydIterations: 20,
    });
    const { codes } = encodeOsq(quantizer, data, ROWS);
    const queries = rows(random, 8, dim);
    const requests: FastScanRequest[] = Array.from({ length: 8 }, (_, q) => ({
      tables: prepareFastScanQuery(quantizer, queries.subarray(q * dim, (q + 1) * dim)),
      mask: null,
      keep: KEEP,
    }));
    for (const backend of ['ts', 'wasm'] as const) {
      const scanner = FastScanner.create(quantizer, codes, ROWS, { backend });
      for (const batch of [1, 8]) {
        if (backend === 'ts' && batch > 1) continue;
        const ms = medianMs(() => scanner.select(requests.slice(0, batch)));
        const bytes = scanner.codeBytes * batch;
        const gbps = bytes / (ms / 1000) / 1e9;
        if (dim === 100 && backend === 'wasm' && batch === 1) headline = gbps;
        lines.push(
          `| ${ROWS.toLocaleString('en-US')} x ${dim} | ${scanner.layout.bytesPerVector} | ${backend} | ${batch} | ${ms.toFixed(2)} | ${(
            (ROWS * batch) / (ms / 1000) / 1e6
          ).toFixed(1)} | ${gbps.toFixed(2)} |`,
        );
      }
    }
  }
  console.log(lines.join('\n'));
  console.log(`fast-scan-gbps: ${headline.toFixed(2)}`);
}

main();
