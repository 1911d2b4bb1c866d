import { MemoryBlobStore } from '@squash/storage';
import { beforeEach, describe, expect, it } from 'vitest';
import { readCurrentVersion, setCurrentVersion } from '../src/current-version.ts';
import { publishIndex } from '../src/publish-index.ts';
import { deleteVersion, gcVersions, listVersions } from '../src/versions.ts';
import { smallIndex } from './support/fixtures.ts';

const index = smallIndex('l2', false);
let store: MemoryBlobStore;
let versions: string[];

beforeEach(async () => {
  store = new MemoryBlobStore();
  versions = [];
  for (let hour = 1; hour <= 4; hour++) {
    const now = new Date(`2026-11-29T0${hour}:00:00.000Z`);
    versions.push((await publishIndex(store, index, { name: 'v' }, { now })).version);
  }
});

describe('listVersions', () => {
  it('lists every version newest first with its time, size and whether it is current', async () => {
    const listed = await listVersions(store);
    expect(listed.map((v) => v.version)).toEqual([...versions].reverse());
    expect(listed.map((v) => v.isCurrent)).toEqual([true, false, false, false]);
    expect(listed[0]!.createdAt).toBe('2026-11-29T04:00:00.000Z');
    expect(listed.every((v) => v.complete && v.bytes > 100_000 && v.objects > 20)).toBe(true);
  });

  it('returns nothing for an empty store', async () => {
    expect(await listVersions(new MemoryBlobStore())).toEqual([]);
  });
});

describe('deleteVersion', () => {
  it('deletes every object of a non-current version', async () => {
    const before = (await listVersions(store)).find((v) => v.version === versions[1])!;
    expect(await deleteVersion(store, versions[1]!)).toBe(before.objects);
    expect((await listVersions(store)).map((v) => v.version)).not.toContain(versions[1]);
  });

  it('refuses the current version with INVALID_ARGUMENT', async () => {
    await expect(deleteVersion(store, versions[3]!)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await readCurrentVersion(store)).toBe(versions[3]);
  });

  it('rejects an unknown version with INDEX_NOT_FOUND and a malformed id with INVALID_ARGUMENT', async () => {
    await expect(deleteVersion(store, 'v20200101T000000.000Z-00000000')).rejects.toMatchObject({
      code: 'INDEX_NOT_FOUND',
    });
    await expect(deleteVersion(store, '../CURRENT')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('gcVersions', () => {
  it('keeps the newest N complete versions and deletes the rest', async () => {
    const result = await gcVersions(store, { keep: 2 });
    expect(result.deleted.sort()).toEqual([versions[0], versions[1]]);
    expect((await listVersions(store)).map((v) => v.version)).toEqual([versions[3], versions[2]]);
  });

  it('always keeps the current version, even an old one', async () => {
    await setCurrentVersion(store, versions[0]!);
    await gcVersions(store, { keep: 1 });
    expect((await listVersions(store)).map((v) => [v.version, v.isCurrent])).toEqual([
      [versions[3], false],
      [versions[0], true],
    ]);
  });

  it('rejects keep below 1', async () => {
    await expect(gcVersions(store, { keep: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('setCurrentVersion', () => {
  it('rolls CURRENT back to an older version and rejects a missing one', async () => {
    await setCurrentVersion(store, versions[1]!);
    expect(await readCurrentVersion(store)).toBe(versions[1]);
    await expect(setCurrentVersion(store, 'v20200101T000000.000Z-00000000')).rejects.toMatchObject({
      code: 'INDEX_NOT_FOUND',
    });
  });
});
