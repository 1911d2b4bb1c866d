import { createIndex, deleteIndex, newDefinition } from '@squash/index-format';
import { MemoryBlobStore } from '@squash/storage';
import { describe, expect, it } from 'vitest';
import { IndexDirectory } from '../src/index-directory.ts';

function directory(root: MemoryBlobStore, clock: { now: number }) {
  return new IndexDirectory({
    indexes: { legacy: 's3://bucket/legacy' },
    indexRoot: 's3://bucket/root/',
    open: () => root,
    versionCheckMs: 1000,
    now: () => clock.now,
  });
}

describe('IndexDirectory', () => {
  it('lists the static table and the catalog, and finds an index created since the last listing at once', async () => {
    const root = new MemoryBlobStore();
    const clock = { now: 0 };
    const dir = directory(root, clock);
    await createIndex(root, newDefinition('a', { dim: 2, metric: 'l2' }));
    expect(await dir.list()).toEqual(['a', 'legacy']);
    await createIndex(root, newDefinition('b', { dim: 3, metric: 'ip' }));
    // The listing is cached, but a name it does not hold is read at once.
    expect(await dir.list()).toEqual(['a', 'legacy']);
    expect(await dir.lookup('b')).toMatchObject({ uri: 's3://bucket/root/b', definition: { dim: 3 } });
    expect(await dir.list()).toEqual(['a', 'b', 'legacy']);
    expect(await dir.lookup('legacy')).toEqual({ name: 'legacy', uri: 's3://bucket/legacy' });
    expect(await dir.lookup('nothing')).toBeUndefined();
  });

  it('sees an index deleted elsewhere within versionCheckMs, and one deleted here at once', async () => {
    const root = new MemoryBlobStore();
    const clock = { now: 0 };
    const dir = directory(root, clock);
    await createIndex(root, newDefinition('a', { dim: 2, metric: 'l2' }));
    await createIndex(root, newDefinition('b', { dim: 2, metric: 'l2' }));
    expect(await dir.list()).toEqual(['a', 'b', 'legacy']);
    await deleteIndex(root, 'a');
    expect(await dir.lookup('a')).toBeDefined();
    clock.now += 1000;
    expect(await dir.lookup('a')).toBeUndefined();
    expect(await dir.list()).toEqual(['b', 'legacy']);
    dir.remember('b', undefined);
    expect(await dir.lookup('b')).toBeUndefined();
    expect(await dir.list()).toEqual(['legacy']);
  });

  it('serves only the static table when no index root is set', async () => {
    const dir = new IndexDirectory({
      indexes: { x: 'memory://x' },
      open: () => new MemoryBlobStore(),
      versionCheckMs: 0,
    });
    expect(dir.catalog).toBeUndefined();
    expect(await dir.list()).toEqual(['x']);
    expect(await dir.lookup('y')).toBeUndefined();
  });
});
