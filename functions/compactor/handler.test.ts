import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRandom } from '@squash/core';
import { appendToLog, createIndex, loadManifest, newDefinition } from '@squash/index-format';
import { FilesystemBlobStore } from '@squash/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
let handler: typeof import('./handler.ts').handler;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'squash-compactor-'));
  process.env.SQUASH_STORE_ROOTS = JSON.stringify([dir]);
  process.env.SQUASH_LOG_LEVEL = 'error';
  ({ handler } = await import('./handler.ts'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('compactor handler', () => {
  it('runs a compaction of an index under its store roots and answers with the report', async () => {
    const root = new FilesystemBlobStore({ rootDir: dir });
    await createIndex(root, newDefinition('docs', { dim: 8, metric: 'l2' }));
    const index = new FilesystemBlobStore({ rootDir: join(dir, 'docs') });
    const random = new SeededRandom(3);
    const ops = Array.from({ length: 1200 }, (_, i) => ({
      op: 'upsert' as const,
      id: `v${i}`,
      vector: Float32Array.from({ length: 8 }, () => random.nextGaussian()),
    }));
    await appendToLog(index, ops);
    const report = await handler({ kind: 'compact', indexUri: join(dir, 'docs'), index: 'docs' });
    expect(report).toMatchObject({ mode: 'full', rowsAfter: 1200, index: 'docs' });
    expect((await loadManifest(index)).logSequence).toBe(1);
  });

  it('refuses an index URI outside its store roots', async () => {
    await expect(
      handler({ kind: 'compact', indexUri: join(tmpdir(), 'elsewhere', 'docs'), index: 'docs' }),
    ).rejects.toThrow(/outside the 1 store root/);
  });
});
