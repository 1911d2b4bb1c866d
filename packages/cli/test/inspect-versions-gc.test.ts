import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFvecs, writeIdx } from '@squash/io';
import { beforeAll, describe, expect, it } from 'vitest';
import { squash, useTempDir } from './cli-harness.ts';

const tmp = useTempDir();
const N = 300;
const DIM = 8;
const versions: string[] = [];

async function buildVersion(out: string, seed: number): Promise<string> {
  const run = await squash(tmp.path, [
    'build',
    '--input',
    'base.fvecs',
    '--attributes',
    'label=labels.idx',
    '--out',
    out,
    '--name',
    'small',
    '--partitions',
    '3',
    '--seed',
    String(seed),
  ]);
  expect(run.code).toBe(0);
  return /version (v\S+)/.exec(run.stdout)![1]!;
}

beforeAll(async () => {
  const base = Float32Array.from({ length: N * DIM }, (_, i) => Math.sin(i * 0.37) * 10 + ((i * 31) % 7));
  await writeFvecs(join(tmp.path, 'base.fvecs'), base, DIM);
  await writeIdx(
    join(tmp.path, 'labels.idx'),
    Uint8Array.from({ length: N }, (_, i) => i % 4),
    [N],
  );
  for (const seed of [1, 2, 3]) versions.push(await buildVersion('idx', seed));
  await buildVersion('corrupt', 1);
});

describe('squash inspect', () => {
  it('summarises the current manifest', async () => {
    const run = await squash(tmp.path, ['inspect', 'idx']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^name\s+small$/m);
    expect(run.stdout).toMatch(new RegExp(`^version\\s+${versions[2]}$`, 'm'));
    expect(run.stdout).toMatch(/^created\s+\d{4}-\d{2}-\d{2}T/m);
    expect(run.stdout).toMatch(/^metric\s+l2$/m);
    expect(run.stdout).toMatch(/^dims\s+8 -> 8/m);
    expect(run.stdout).toMatch(/^rows\s+300$/m);
    expect(run.stdout).toMatch(/^schema\s+label: integer$/m);
    expect(run.stdout).toMatch(/^build\s+partitions 3, leanvec-dim 8, bits-per-dim 4, seed 3$/m);
    const partitionRows = [...run.stdout.matchAll(/^ {2}(\d+)\s+(\d+)\s+(\d+)\s/gm)];
    expect(partitionRows.map((m) => Number(m[1]))).toEqual([0, 1, 2]);
    expect(partitionRows.reduce((sum, m) => sum + Number(m[2]), 0)).toBe(N);
  });

  it('prints the manifest as JSON with --json', async () => {
    const run = await squash(tmp.path, ['inspect', 'idx', '--json']);
    const manifest = JSON.parse(run.stdout) as { name: string; count: number; partitions: unknown[] };
    expect(manifest).toMatchObject({ name: 'small', count: N });
    expect(manifest.partitions).toHaveLength(3);
  });

  it('--verify reads every object and reports ok', async () => {
    const run = await squash(tmp.path, ['inspect', 'idx', '--verify']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^verify: ok, \d+ objects, \d+ bytes checked$/m);
  });

  it('--verify exits 1 and names the damaged object with INDEX_CORRUPT', async () => {
    const current = JSON.parse(await readFile(join(tmp.path, 'corrupt', 'CURRENT'), 'utf8')) as {
      version: string;
    };
    const key = `versions/${current.version}/partitions/00001/vectors.bin`;
    const file = join(tmp.path, 'corrupt', key);
    const bytes = await readFile(file);
    bytes[bytes.length - 3]! ^= 0x40;
    await writeFile(file, bytes);
    const run = await squash(tmp.path, ['inspect', 'corrupt', '--verify']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`squash: INDEX_CORRUPT ${key}: `);
    expect(run.stdout).toMatch(/^verify: FAILED, 1 problem$/m);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('search on the damaged index fails with one line naming the object', async () => {
    const run = await squash(tmp.path, ['search', '--index', 'corrupt', '--queries', 'base.fvecs']);
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(/^squash: .*partitions\/00001\/vectors\.bin/);
  });

  it('--verify reports a damaged CURRENT pointer', async () => {
    await writeFile(join(tmp.path, 'corrupt', 'CURRENT'), '{"version": 7}');
    const run = await squash(tmp.path, ['inspect', 'corrupt', '--verify']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/squash: INDEX_CORRUPT CURRENT: /);
  });
});

describe('squash versions and gc', () => {
  it('lists every version newest first and marks the current one', async () => {
    const run = await squash(tmp.path, ['versions', 'idx']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/version\s+created\s+size\s+objects/);
    expect(lines.slice(1).map((line) => /v\S+/.exec(line)![0])).toEqual([...versions].reverse());
    expect(lines[1]).toMatch(/^\* /);
    expect(lines[2]).toMatch(/^ {3}/);
  });

  it('lists versions as JSON lines with --json', async () => {
    const run = await squash(tmp.path, ['versions', 'idx', '--json']);
    const listed = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { version: string; isCurrent: boolean });
    expect(listed.map((v) => v.version)).toEqual([...versions].reverse());
    expect(listed[0]!.isCurrent).toBe(true);
  });

  it('gc --keep 1 deletes the older versions and keeps the current one', async () => {
    const run = await squash(tmp.path, ['gc', 'idx', '--keep', '1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^deleted 2 versions \(\d+ objects\)$/m);
    expect(run.stdout).toContain(`  + ${versions[2]}`);
    const after = await squash(tmp.path, ['versions', 'idx', '--json']);
    expect(after.stdout.trimEnd().split('\n')).toHaveLength(1);
    const search = await squash(tmp.path, [
      'search',
      '--index',
      'idx',
      '--queries',
      'base.fvecs',
      '--k',
      '1',
    ]);
    expect(search.code).toBe(0);
  });

  it('reports a location without versions', async () => {
    const run = await squash(tmp.path, ['versions', 'empty-dir']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('no versions at empty-dir\n');
  });
});

describe('machine-readable output', () => {
  it('build --json prints one JSON summary and gc --json its result', async () => {
    const built = await squash(tmp.path, [
      'build',
      '--input',
      'base.fvecs',
      '--out',
      'json-idx',
      '--name',
      'small',
      '--partitions',
      '2',
      '--json',
    ]);
    expect(built.code).toBe(0);
    const summary = JSON.parse(built.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ name: 'small', rows: N, dim: DIM, partitions: 2, out: 'json-idx' });
    expect(summary.version).toMatch(/^v\d{8}T/);
    await squash(tmp.path, [
      'build',
      '--input',
      'base.fvecs',
      '--out',
      'json-idx',
      '--name',
      'small',
      '--partitions',
      '2',
    ]);
    const gc = await squash(tmp.path, ['gc', 'json-idx', '--keep', '1', '--json']);
    expect(gc.code).toBe(0);
    expect(JSON.parse(gc.stdout)).toMatchObject({
      deleted: [summary.version],
      objectsDeleted: expect.any(Number),
    });
  });

  it('--version prints the package version, and --name refuses what the HTTP API cannot serve', async () => {
    const version = await squash(tmp.path, ['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^squash \d+\.\d+\.\d+\n$/);
    const badName = await squash(tmp.path, [
      'build',
      '--input',
      'base.fvecs',
      '--out',
      'x',
      '--name',
      'my index',
    ]);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/--name is "my index"; allowed: 1 to 128 letters/);
  });
});
