import { join } from 'node:path';
import { SeededRandom } from '@squash/core';
import { appendToLog, createIndex, type LogOp, newDefinition } from '@squash/index-format';
import { FilesystemBlobStore } from '@squash/storage';
import { beforeAll, describe, expect, it } from 'vitest';
import { squash, useTempDir } from './cli-harness.ts';

const tmp = useTempDir();
const DIM = 8;
const random = new SeededRandom(9);
const upsert = (i: number): LogOp => ({
  op: 'upsert',
  id: `v${i}`,
  vector: Float32Array.from({ length: DIM }, () => random.nextGaussian()),
  metadata: { i },
});

beforeAll(async () => {
  const root = new FilesystemBlobStore({ rootDir: join(tmp.path, 'root') });
  await createIndex(root, newDefinition('docs', { dim: DIM, metric: 'l2' }));
  const index = new FilesystemBlobStore({ rootDir: join(tmp.path, 'root', 'docs') });
  for (let batch = 0; batch < 3; batch++) {
    await appendToLog(
      index,
      Array.from({ length: 400 }, (_, k) => upsert(batch * 400 + k)),
    );
  }
});

describe('squash compact', () => {
  it('shows the unindexed tail before any version', async () => {
    const run = await squash(tmp.path, ['versions', 'root/docs']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/no versions at root\/docs/);
    expect(run.stdout).toMatch(
      /last sequence 3, 3 entries stored; the version folds up to 0; tail: 3 entries \(1200 upserted ids, 0 deleted ids\)/,
    );
  });

  it('folds the log into a first version and reports it as JSON', async () => {
    const run = await squash(tmp.path, ['compact', 'root/docs', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      index: 'docs',
      mode: 'full',
      rowsAfter: 1200,
      logSequence: 3,
      logEntriesDeleted: 2,
    });
  });

  it('shows the log folded into the current version in versions and inspect', async () => {
    const index = new FilesystemBlobStore({ rootDir: join(tmp.path, 'root', 'docs') });
    await appendToLog(index, [upsert(5000), { op: 'delete', id: 'v1' }]);
    const versions = await squash(tmp.path, ['versions', 'root/docs']);
    expect(versions.stdout).toMatch(
      /last sequence 4, 2 entries stored; the version folds up to 3; tail: 1 entries \(1 upserted ids, 1 deleted ids\)/,
    );
    const inspect = await squash(tmp.path, ['inspect', 'root/docs']);
    expect(inspect.stdout).toMatch(/^rows\s+1200$/m);
    expect(inspect.stdout).toMatch(/the version folds up to 3; tail: 1 entries/);
  });

  it('does nothing with a text report when the live rows are below the build threshold', async () => {
    const root = new FilesystemBlobStore({ rootDir: join(tmp.path, 'small') });
    await createIndex(root, newDefinition('few', { dim: DIM, metric: 'l2' }));
    await appendToLog(new FilesystemBlobStore({ rootDir: join(tmp.path, 'small', 'few') }), [upsert(1)]);
    const run = await squash(tmp.path, ['compact', 'small/few']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^mode\s+none \(1 live rows, below the build threshold of 1000/m);
  });
});
