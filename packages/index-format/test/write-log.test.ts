import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilesystemBlobStore, MemoryBlobStore } from '@squash/storage';
import { afterAll, describe, expect, it } from 'vitest';
import { appendToLog, foldLog, type LogOp, lastSequence, logKey, readLog } from '../src/index.ts';

const upsert = (id: string, values: number[], attributes?: Record<string, string | number>): LogOp => ({
  op: 'upsert',
  id,
  vector: Float32Array.from(values),
  ...(attributes === undefined ? {} : { attributes }),
});

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('write log', () => {
  it('numbers entries 1, 2, 3 and reads them back in order with exact vectors', async () => {
    const store = new MemoryBlobStore();
    expect(await lastSequence(store)).toBe(0);
    const tiny = Math.fround(1e-30);
    expect((await appendToLog(store, [upsert('a', [0.1, tiny, -3])])).sequence).toBe(1);
    expect((await appendToLog(store, [{ op: 'delete', id: 'b' }])).sequence).toBe(2);
    expect((await appendToLog(store, [upsert('c', [1, 2, 3], { lang: 'en' })])).sequence).toBe(3);
    const entries = await readLog(store);
    expect(entries.map((e) => e.sequence)).toEqual([1, 2, 3]);
    const first = entries[0]!.ops[0]!;
    expect(first.op === 'upsert' && Array.from(first.vector)).toEqual([Math.fround(0.1), tiny, -3]);
    expect((await readLog(store, 2)).map((e) => e.sequence)).toEqual([3]);
  });

  it('gives every concurrent writer its own sequence and loses no entry (two stores on one directory)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'squash-log-'));
    dirs.push(dir);
    const writers = [new FilesystemBlobStore({ rootDir: dir }), new FilesystemBlobStore({ rootDir: dir })];
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => appendToLog(writers[i % 2]!, [upsert(`row-${i}`, [i])])),
    );
    const sequences = results.map((r) => r.sequence).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const ids = (await readLog(writers[0]!)).flatMap((e) => e.ops.map((op) => op.id)).sort();
    expect(ids).toEqual(Array.from({ length: 30 }, (_, i) => `row-${i}`).sort());
  });

  it('folds entries so that the last operation on an id wins', () => {
    const tail = foldLog(
      [
        { sequence: 5, createdAt: '', ops: [upsert('a', [1]), upsert('b', [1])] },
        { sequence: 6, createdAt: '', ops: [{ op: 'delete', id: 'a' }, upsert('b', [2])] },
        { sequence: 7, createdAt: '', ops: [{ op: 'delete', id: 'c' }, upsert('c', [3])] },
      ],
      4,
    );
    expect([...tail.rows.keys()].sort()).toEqual(['b', 'c']);
    expect(Array.from(tail.rows.get('b')!.vector)).toEqual([2]);
    expect(tail.rows.get('b')!.sequence).toBe(6);
    expect([...tail.deleted]).toEqual(['a']);
    expect(tail.lastSequence).toBe(7);
    expect(foldLog([], 9).lastSequence).toBe(9);
  });

  it('names a damaged entry and rejects an empty request', async () => {
    const store = new MemoryBlobStore();
    await appendToLog(store, [upsert('a', [1])]);
    await store.put(
      logKey(2),
      new TextEncoder().encode('{"format":"squash-log","sequence":3,"createdAt":"x","ops":[]}'),
    );
    await expect(readLog(store)).rejects.toMatchObject({ code: 'INDEX_CORRUPT', key: logKey(2) });
    await expect(appendToLog(store, [])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
