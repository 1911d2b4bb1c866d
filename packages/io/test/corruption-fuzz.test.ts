/**
 * Every way of cutting or damaging a small valid file either still reads or fails with
 * INVALID_INPUT_FILE: no RangeError, TypeError or raw zlib error escapes any reader.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { SeededRandom } from '@squash/core';
import { describe, expect, it } from 'vitest';
import {
  InvalidInputFileError,
  readVectors,
  streamVectors,
  writeBvecs,
  writeFvecs,
  writeIdx,
  writeIvecs,
  writeJsonl,
  writeNpy,
} from '../src/index.ts';
import { collect, useTempDir } from './temp-dir.ts';

const tmp = useTempDir();

const writers: Record<string, (file: string) => Promise<void>> = {
  'f.fvecs': (f) => writeFvecs(f, Float32Array.of(1, 2, 3, 4, 5, 6), 3),
  'i.ivecs': (f) => writeIvecs(f, Int32Array.of(1, 2, 3, 4), 2),
  'b.bvecs': (f) => writeBvecs(f, Uint8Array.of(1, 2, 3, 4, 5, 6), 2),
  'x.idx': (f) => writeIdx(f, Float32Array.of(1, 2, 3, 4), [2, 2]),
  'n.npy': (f) => writeNpy(f, Float64Array.of(1, 2, 3, 4), [2, 2]),
  'j.jsonl': (f) =>
    writeJsonl(f, [
      { id: 1, vector: [1, 2] },
      { id: 'b', vector: [3, 4], attributes: { a: 1 } },
    ]),
  'g.fvecs.gz': (f) => writeFvecs(f, Float32Array.of(1, 2, 3, 4, 5, 6), 3),
  'g.npy.gz': (f) => writeNpy(f, Uint8Array.of(1, 2, 3, 4), [4]),
};

/** Reads `file` both ways; returns the errors thrown that are not InvalidInputFileError. */
async function strayErrors(file: string): Promise<unknown[]> {
  const stray: unknown[] = [];
  for (const read of [() => readVectors(file), () => collect(streamVectors(file, { batchRows: 1 }))]) {
    try {
      await read();
    } catch (error) {
      if (!(error instanceof InvalidInputFileError)) stray.push(error);
    }
  }
  return stray;
}

describe('damaged files', () => {
  for (const [name, write] of Object.entries(writers)) {
    it(`fail only with INVALID_INPUT_FILE when ${name} is cut at any length`, async () => {
      const file = tmp.path(name);
      await write(file);
      const whole = await readFile(file);
      const stray: unknown[] = [];
      for (let length = 0; length < whole.length; length++) {
        await writeFile(file, whole.subarray(0, length));
        stray.push(...(await strayErrors(file)));
      }
      expect(stray).toEqual([]);
    });

    it(`fail only with INVALID_INPUT_FILE when bytes of ${name} are overwritten`, async () => {
      const file = tmp.path(name);
      await write(file);
      const whole = await readFile(file);
      const random = new SeededRandom(42);
      const stray: unknown[] = [];
      for (let trial = 0; trial < 150; trial++) {
        const damaged = Buffer.from(whole);
        const hits = 1 + random.nextInt(3);
        for (let h = 0; h < hits; h++) damaged[random.nextInt(damaged.length)] = random.nextInt(256);
        await writeFile(file, damaged);
        stray.push(...(await strayErrors(file)));
      }
      expect(stray).toEqual([]);
    });
  }
});
