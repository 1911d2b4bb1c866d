import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { InvalidInputFileError } from '../src/index.ts';

export interface TempDir {
  /** Absolute path of `name` inside the current test's folder. */
  path(name: string): string;
  /** Writes raw bytes (never compressed, so corrupt `.gz` files can be made) and returns the path. */
  write(name: string, bytes: Uint8Array | string): Promise<string>;
}

/** A fresh temp folder per test, removed afterwards. */
export function useTempDir(): TempDir {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'squash-io-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const path = (name: string) => join(dir, name);
  return {
    path,
    write: async (name, bytes) => {
      const file = path(name);
      await writeFile(file, bytes);
      return file;
    },
  };
}

/** Drains an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/**
 * Expects `run` to reject with an InvalidInputFileError (code INVALID_INPUT_FILE) whose message
 * matches `message`; returns the error for further checks.
 */
export async function expectFileError(
  run: () => Promise<unknown>,
  message: RegExp | string,
): Promise<InvalidInputFileError> {
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidInputFileError);
  const error = caught as InvalidInputFileError;
  expect(error.code).toBe('INVALID_INPUT_FILE');
  if (typeof message === 'string') expect(error.message).toContain(message);
  else expect(error.message).toMatch(message);
  return error;
}

/** Little-endian int32 TEXMEX record bytes for quick hand-made corrupt files. */
export function texmexBytes(
  records: readonly { dim: number; values: readonly number[] }[],
  valueBytes: 1 | 4,
  float = true,
): Uint8Array {
  const total = records.reduce((sum, r) => sum + 4 + r.values.length * valueBytes, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const { dim, values } of records) {
    view.setInt32(offset, dim, true);
    offset += 4;
    for (const v of values) {
      if (valueBytes === 1) view.setUint8(offset, v);
      else if (float) view.setFloat32(offset, v, true);
      else view.setInt32(offset, v, true);
      offset += valueBytes;
    }
  }
  return out;
}

/** `n` x `dim` deterministic values (no RNG needed for format tests). */
export function pattern(n: number, dim: number, scale = 0.37): number[] {
  return Array.from({ length: n * dim }, (_, i) => ((i * 7919) % 1013) * scale - 150);
}
