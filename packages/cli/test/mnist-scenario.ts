/**
 * The end-to-end MNIST scenario shared by the shared-dataset and npm-package tests: `squash build`
 * on IDX files with `--attributes label=<labels idx>`, then `squash search` unfiltered and with
 * `{"label": 3}`, measured against exact search.
 */
import { join } from 'node:path';
import { createScanner, exactSearch } from '@squash/core';
import { writeFvecs } from '@squash/io';
import { expect } from 'vitest';
import { recallAtK } from '../../../test/support/recall.ts';
import { parseResults, squash } from './cli-harness.ts';

export interface MnistScenario {
  /** Working directory of the commands (queries and the index are written there). */
  readonly dir: string;
  /** IDX image and label files to build from (paths as passed to the CLI). */
  readonly imagesFile: string;
  readonly labelsFile: string;
  /** The same base rows and labels, in memory, for the exact reference. */
  readonly base: Float32Array;
  readonly labels: ArrayLike<number>;
  readonly dim: number;
  /** nq x dim query rows. */
  readonly queries: Float32Array;
  /** nq x gtK exact neighbours, when a precomputed ground truth exists. */
  readonly groundTruth?: { readonly ids: Int32Array; readonly gtK: number };
  readonly partitions: number;
}

export interface MnistOutcome {
  readonly recall: number;
  readonly filteredRecall: number;
  readonly buildStdout: string;
}

const K = 10;

export async function runMnistScenario(s: MnistScenario): Promise<MnistOutcome> {
  const nq = s.queries.length / s.dim;
  await writeFvecs(join(s.dir, 'queries.fvecs'), s.queries, s.dim);
  const built = await squash(s.dir, [
    'build',
    '--input',
    s.imagesFile,
    '--attributes',
    `label=${s.labelsFile}`,
    '--out',
    'mnist-index',
    '--name',
    'mnist',
    '--partitions',
    String(s.partitions),
  ]);
  expect(built.stderr).not.toMatch(/^squash:/m);
  expect(built.code).toBe(0);
  const plain = await squash(s.dir, [
    'search',
    '--index',
    'mnist-index',
    '--queries',
    'queries.fvecs',
    '--k',
    String(K),
  ]);
  expect(plain.code).toBe(0);
  const results = parseResults(plain.stdout).map((r) => r.ids.map(Number));
  expect(results).toHaveLength(nq);
  const truth = s.groundTruth ?? exactTruth(s, () => true);
  const recall = recallAtK({
    base: s.base,
    dim: s.dim,
    metric: 'l2',
    queries: s.queries,
    resultIds: results,
    groundTruth: truth.ids,
    gtK: truth.gtK,
    k: K,
  });
  const filtered = await squash(s.dir, [
    'search',
    '--index',
    'mnist-index',
    '--queries',
    'queries.fvecs',
    '--k',
    String(K),
    '--filter',
    '{"label": 3}',
  ]);
  expect(filtered.code).toBe(0);
  const filteredIds = parseResults(filtered.stdout).map((r) => r.ids.map(Number));
  for (const ids of filteredIds) {
    expect(ids).toHaveLength(K);
    for (const id of ids) expect(s.labels[id]).toBe(3);
  }
  const filteredTruth = exactTruth(s, (row) => s.labels[row] === 3);
  const filteredRecall = recallAtK({
    base: s.base,
    dim: s.dim,
    metric: 'l2',
    queries: s.queries,
    resultIds: filteredIds,
    groundTruth: filteredTruth.ids,
    gtK: filteredTruth.gtK,
    k: K,
  });
  return { recall, filteredRecall, buildStdout: built.stdout };
}

/** Exact top-K among the rows `allowed` accepts (float32 kernels; ties: lower id). */
function exactTruth(s: MnistScenario, allowed: (row: number) => boolean): { ids: Int32Array; gtK: number } {
  const n = s.base.length / s.dim;
  const nq = s.queries.length / s.dim;
  const scanner = createScanner('l2', s.base, s.dim);
  const rows = Uint32Array.from({ length: n }, (_, i) => i).filter(allowed);
  const ids = new Int32Array(nq * K);
  for (let q = 0; q < nq; q++) {
    const hits = exactSearch(scanner, s.queries.subarray(q * s.dim, (q + 1) * s.dim), {
      topK: K,
      allowRowIds: rows,
    });
    ids.set(hits.ids, q * K);
  }
  return { ids, gtK: K };
}
