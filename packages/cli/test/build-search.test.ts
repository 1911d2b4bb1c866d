import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createScanner, exactSearch } from '@squash/core';
import { writeFvecs, writeIdx, writeJsonl } from '@squash/io';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticClusters } from '../../../test/support/synthetic.ts';
import { parseResults, squash, useTempDir } from './cli-harness.ts';

const tmp = useTempDir();
const data = syntheticClusters({ n: 2000, dim: 16, nq: 40, clusters: 12, seed: 7 });
const K = 10;

/** CSV of the price / color / active attributes, with quoting where a value needs it. */
function attributesCsv(): string {
  const lines = ['price,color,active,note'];
  data.rows.forEach((row, i) => {
    const price = row.price === undefined ? '' : String(row.price);
    lines.push(`${price},${String(row.color)},${String(row.active)},"row ${i}, ""quoted"""`);
  });
  return `${lines.join('\r\n')}\r\n`;
}

beforeAll(async () => {
  await writeFvecs(join(tmp.path, 'base.fvecs'), data.base, data.dim);
  await writeFvecs(join(tmp.path, 'queries.fvecs'), data.queries, data.dim);
  const labels = Int32Array.from(data.rows, (row) => row.label as number);
  await writeIdx(join(tmp.path, 'labels.idx'), labels, [data.n]);
  await writeFile(join(tmp.path, 'attrs.csv'), attributesCsv());
  await writeJsonl(
    join(tmp.path, 'base.jsonl'),
    Array.from({ length: data.n }, (_, i) => ({
      id: `doc-${i}`,
      vector: data.base.subarray(i * data.dim, (i + 1) * data.dim),
      attributes: { label: data.rows[i]!.label as number },
    })),
  );
  await writeFile(
    join(tmp.path, 'schema.json'),
    JSON.stringify({ note: { type: 'category' }, price: { type: 'number' } }),
  );
});

/** Exact neighbours of every query among the rows `allowed` accepts. */
function groundTruth(allowed: (row: number) => boolean): number[][] {
  const scanner = createScanner('l2', data.base, data.dim);
  const rows = Uint32Array.from({ length: data.n }, (_, i) => i).filter(allowed);
  return Array.from({ length: data.nq }, (_, q) => {
    const query = data.queries.subarray(q * data.dim, (q + 1) * data.dim);
    return exactSearch(scanner, query, { topK: K, allowRowIds: rows }).ids;
  });
}

function recall(results: string[][], truth: number[][]): number {
  let hits = 0;
  results.forEach((ids, q) => {
    const expected = new Set(truth[q]!.map(String));
    hits += ids.filter((id) => expected.has(id)).length;
  });
  return hits / (truth.length * K);
}

describe('squash build + squash search on synthetic clusters', () => {
  let buildRun: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    buildRun = await squash(tmp.path, [
      'build',
      '--input',
      'base.fvecs',
      '--out',
      'idx',
      '--name',
      'synthetic',
      '--attributes',
      'label=labels.idx',
      '--attributes',
      'attrs.csv',
      '--schema',
      'schema.json',
      '--partitions',
      '4',
      '--seed',
      '3',
    ]);
  });

  it('builds, publishes and prints a summary with sizes and stage times', () => {
    expect(buildRun.stderr).not.toMatch(/^squash:/m);
    expect(buildRun.code).toBe(0);
    expect(buildRun.stdout).toMatch(/built index "synthetic" version v\d{8}T/);
    expect(buildRun.stdout).toMatch(/rows\s+2000/);
    expect(buildRun.stdout).toMatch(/dims\s+16 -> 16/);
    expect(buildRun.stdout).toMatch(/partitions\s+4 \(rows \d+\.\.\d+\)/);
    expect(buildRun.stdout).toMatch(/bytes\/vector\s+\d+ code .* 64 full precision/);
    expect(buildRun.stdout).toMatch(/size\s+[\d.]+ KiB \(\d+ bytes/);
    expect(buildRun.stdout).toMatch(
      /attributes\s+label: integer, price: number, color: category, active: boolean, note: category/,
    );
    expect(buildRun.stdout).toMatch(/time\s+load [\d.]+ s, fit\+build [\d.]+ s, publish [\d.]+ s/);
  });

  it('writes plain progress lines when stderr is not a terminal', () => {
    expect(buildRun.stderr).toMatch(/^loading base.fvecs\.\.\.\n/);
    expect(buildRun.stderr).toMatch(/fitting LeanVec and building 4 partitions \([\d.]+ s\)\n/);
    expect(buildRun.stderr).not.toContain('\r');
  });

  it('returns one JSON line per query with string ids and ascending distances, recall@10 >= 0.95', async () => {
    const run = await squash(tmp.path, [
      'search',
      '--index',
      'idx',
      '--queries',
      'queries.fvecs',
      '--k',
      String(K),
    ]);
    expect(run.code).toBe(0);
    const results = parseResults(run.stdout);
    expect(results).toHaveLength(data.nq);
    for (const { ids, distances } of results) {
      expect(ids).toHaveLength(K);
      for (const id of ids) expect(id).toMatch(/^\d+$/);
      for (let j = 1; j < distances.length; j++)
        expect(distances[j]!).toBeGreaterThanOrEqual(distances[j - 1]!);
    }
    expect(
      recall(
        results.map((r) => r.ids),
        groundTruth(() => true),
      ),
    ).toBeGreaterThanOrEqual(0.95);
  });

  it('filters on CSV and label attributes: every result matches, recall@10 >= 0.95', async () => {
    const filter = { color: 'red', label: { $lt: 5 } };
    const run = await squash(tmp.path, [
      'search',
      '--index',
      'idx',
      '--queries',
      'queries.fvecs',
      '--filter',
      JSON.stringify(filter),
    ]);
    expect(run.code).toBe(0);
    const matches = (row: number): boolean =>
      data.rows[row]!.color === 'red' && (data.rows[row]!.label as number) < 5;
    const results = parseResults(run.stdout);
    for (const { ids } of results) for (const id of ids) expect(matches(Number(id))).toBe(true);
    expect(
      recall(
        results.map((r) => r.ids),
        groundTruth(matches),
      ),
    ).toBeGreaterThanOrEqual(0.95);
  });

  it('writes to --output instead of stdout, the same lines', async () => {
    const toStdout = await squash(tmp.path, [
      'search',
      '--index',
      'idx',
      '--queries',
      'queries.fvecs',
      '--k',
      '3',
    ]);
    const toFile = await squash(tmp.path, [
      'search',
      '--index',
      'idx',
      '--queries',
      'queries.fvecs',
      '--k',
      '3',
      '--output',
      'out.jsonl',
    ]);
    expect(toFile.code).toBe(0);
    expect(toFile.stdout).toBe('');
    expect(await readFile(join(tmp.path, 'out.jsonl'), 'utf8')).toBe(toStdout.stdout);
  });

  it('rejects a filter on an attribute the index does not have as a usage error', async () => {
    const run = await squash(tmp.path, [
      'search',
      '--index',
      'idx',
      '--queries',
      'queries.fvecs',
      '--filter',
      '{"colour": "red"}',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /squash search: --filter: invalid filter at \$\.colour: unknown attribute "colour"/,
    );
  });

  it('fails naming the query file when its dimension differs from the index', async () => {
    await writeFvecs(join(tmp.path, 'q8.fvecs'), new Float32Array(16), 8);
    const run = await squash(tmp.path, ['search', '--index', 'idx', '--queries', 'q8.fvecs']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /squash: q8.fvecs: queries have 8 dimensions; index "synthetic" expects 16\n$/,
    );
  });
});

describe('squash build from JSONL with ids and attributes', () => {
  it('returns the JSONL ids and filters on the JSONL attributes', async () => {
    const built = await squash(tmp.path, [
      'build',
      '--input',
      'base.jsonl',
      '--out',
      'idx-jsonl',
      '--name',
      'docs',
      '--partitions',
      '2',
    ]);
    expect(built.stderr).not.toMatch(/^squash:/m);
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(/attributes\s+label: integer/);
    const run = await squash(tmp.path, [
      'search',
      '--index',
      'idx-jsonl',
      '--queries',
      'queries.fvecs',
      '--k',
      '5',
      '--filter',
      '{"label": 3}',
    ]);
    expect(run.code).toBe(0);
    const results = parseResults(run.stdout);
    expect(results).toHaveLength(data.nq);
    for (const { ids } of results) {
      expect(ids).toHaveLength(5);
      for (const id of ids) {
        expect(id).toMatch(/^doc-\d+$/);
        expect(data.rows[Number(id.slice(4))]!.label).toBe(3);
      }
    }
  });

  it('builds with --metric cosine and a --queries sample (LeanVec-OOD)', async () => {
    const run = await squash(tmp.path, [
      'build',
      '--input',
      'base.fvecs',
      '--out',
      'idx-ood',
      '--name',
      'ood',
      '--metric',
      'cosine',
      '--queries',
      'queries.fvecs',
      '--leanvec-dim',
      '8',
      '--bits-per-dim',
      '6',
      '--partitions',
      '2',
    ]);
    expect(run.stderr).not.toMatch(/^squash:/m);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/dims\s+16 -> 8 \(LeanVec-OOD, cosine\)/);
    expect(run.stdout).toMatch(/6 bits x 8 dims/);
  });
});
