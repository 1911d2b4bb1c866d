import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FilesystemBlobStore } from '../src/filesystem-blob-store.ts';
import { runBlobStoreSuite } from './blob-store-suite.ts';
import { chunksOf, collect, seededBytes, utf8Bytes } from './support/test-bytes.ts';

const tempRoots: string[] = [];

async function newTempStore(): Promise<FilesystemBlobStore> {
  const dir = await mkdtemp(join(tmpdir(), 'squash-fs-store-'));
  tempRoots.push(dir);
  // A root that does not exist yet: the store creates it on the first write.
  return new FilesystemBlobStore({ rootDir: join(dir, 'root') });
}

async function removeTempRoots(): Promise<void> {
  await Promise.all(tempRoots.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

runBlobStoreSuite('filesystem', { newStore: newTempStore, cleanup: removeTempRoots });

describe('FilesystemBlobStore', () => {
  afterAll(removeTempRoots);

  it('stores key a/b/c as the file <rootDir>/a/b/c', async () => {
    const store = await newTempStore();
    await store.put('a/b/c', utf8Bytes('abc'));
    expect(await readdir(join(store.rootDir, 'a', 'b'))).toEqual(['c']);
  });

  it('skips leftover temp files and names that are not valid keys when listing', async () => {
    const store = await newTempStore();
    await store.put('dir/real.bin', utf8Bytes('real'));
    await writeFile(join(store.rootDir, 'dir', '.squash-tmp-crashed'), 'partial');
    await writeFile(join(store.rootDir, 'dir', 'back\\slash'), 'foreign');
    expect(await collect(store.list(''))).toEqual([{ key: 'dir/real.bin', sizeBytes: 4 }]);
  });

  it('leaves no temp file behind after a failed stream', async () => {
    const store = await newTempStore();
    await store.put('s/keep', utf8Bytes('k'));
    async function* broken(): AsyncIterable<Uint8Array> {
      yield seededBytes(1024, 1);
      throw new Error('boom');
    }
    await expect(store.putStream('s/failed', broken())).rejects.toThrow('boom');
    expect(await readdir(join(store.rootDir, 's'))).toEqual(['keep']);
  });

  it('removes folders that a delete leaves empty', async () => {
    const store = await newTempStore();
    await store.put('x/y/z/leaf', utf8Bytes('leaf'));
    await store.put('x/other', utf8Bytes('other'));
    await store.delete('x/y/z/leaf');
    expect(await readdir(join(store.rootDir, 'x'))).toEqual(['other']);
  });

  it('fails with STORAGE_ERROR when a key would sit below an existing object', async () => {
    const store = await newTempStore();
    await store.put('file', utf8Bytes('f'));
    await expect(store.put('file/child', utf8Bytes('c'))).rejects.toMatchObject({
      code: 'STORAGE_ERROR',
      operation: 'put',
      key: 'file/child',
    });
    await expect(store.putStream('file/child', chunksOf([utf8Bytes('c')]))).rejects.toMatchObject({
      code: 'STORAGE_ERROR',
    });
  });

  it('fails with STORAGE_ERROR when a key names an existing folder', async () => {
    const store = await newTempStore();
    await store.put('folder/child', utf8Bytes('c'));
    await expect(store.put('folder', utf8Bytes('f'))).rejects.toMatchObject({ code: 'STORAGE_ERROR' });
    await expect(store.delete('folder')).resolves.toBeUndefined();
    expect(await store.get('folder/child')).toBeDefined();
  });

  it('treats a missing root directory as an empty store', async () => {
    const store = new FilesystemBlobStore({ rootDir: join(tmpdir(), 'squash-does-not-exist-9f2c') });
    expect(await store.get('a')).toBeUndefined();
    expect(await collect(store.list(''))).toEqual([]);
    await expect(store.getRange('a', 0, 1)).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
  });

  it('rejects an empty rootDir with INVALID_ARGUMENT', () => {
    expect(() => new FilesystemBlobStore({ rootDir: '' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('reports a folder as absent from get, head and getRange', async () => {
    const store = await newTempStore();
    await mkdir(join(store.rootDir, 'just-a-folder'), { recursive: true });
    expect(await store.get('just-a-folder')).toBeUndefined();
    expect(await store.head('just-a-folder')).toBeUndefined();
    await expect(store.getRange('just-a-folder', 0, 1)).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
  });
});
