import { MemoryBlobStore } from '@squash/storage';
import { describe, expect, it } from 'vitest';
import { readCurrentVersion, setCurrentVersion } from '../src/current-version.ts';
import { loadIndex } from '../src/load-index.ts';
import { loadManifest } from '../src/load-manifest.ts';
import { manifestObjects } from '../src/manifest.ts';
import { publishIndex } from '../src/publish-index.ts';
import { gcVersions, listVersions } from '../src/versions.ts';
import { query, smallIndex } from './support/fixtures.ts';
import { CrashingStore, RecordingStore } from './support/store-wrappers.ts';

const first = smallIndex('l2', false);
const second = smallIndex('l2', true);
const T0 = new Date('2026-11-29T06:00:00.000Z');
const T1 = new Date('2026-11-29T07:00:00.000Z');

/** Objects a publish of `second` writes before its manifest. */
async function objectsOfSecond(): Promise<number> {
  const { manifest } = await publishIndex(new MemoryBlobStore(), second, { name: 'count' });
  return manifestObjects(manifest).length;
}

describe('publishIndex', () => {
  it('writes every object, then the manifest, then CURRENT', async () => {
    const store = new RecordingStore(new MemoryBlobStore());
    const { version, manifest } = await publishIndex(store, second, { name: 'order' });
    const objects = manifestObjects(manifest).length;
    expect(store.putKeys).toHaveLength(objects + 2);
    expect(store.putKeys.at(-2)).toBe(`versions/${version}/manifest.json`);
    expect(store.putKeys.at(-1)).toBe('CURRENT');
    expect(new Set(store.putKeys.slice(0, objects))).toEqual(
      new Set(manifestObjects(manifest).map((ref) => `versions/${version}/${ref.key}`)),
    );
  });

  it('leaves CURRENT on the previous version when it crashes at any point before CURRENT', async () => {
    const base = new MemoryBlobStore();
    const previous = await publishIndex(base, first, { name: 'atomic' }, { now: T0 });
    const objects = await objectsOfSecond();
    const expected = first.search(query(0), { topK: 5 });
    for (const allowedPuts of [0, 1, Math.floor(objects / 2), objects - 1, objects, objects + 1]) {
      const crashing = new CrashingStore(base, allowedPuts);
      await expect(publishIndex(crashing, second, { name: 'atomic' }, { now: T1 })).rejects.toThrow(
        /simulated crash/,
      );
      expect(await readCurrentVersion(base)).toBe(previous.version);
      const reader = await loadIndex(base);
      expect(reader.manifest.version).toBe(previous.version);
      expect(reader.index.search(query(0), { topK: 5 }).ids).toEqual(expected.ids);
    }
  });

  it('keeps a reader pinned to the manifest it read while a new version is published', async () => {
    const store = new MemoryBlobStore();
    await publishIndex(store, first, { name: 'pin' }, { now: T0 });
    const pinned = await loadManifest(store);
    const next = await publishIndex(store, second, { name: 'pin' }, { now: T1 });
    expect(await readCurrentVersion(store)).toBe(next.version);
    const reread = await loadIndex(store, { version: pinned.version });
    expect(reread.manifest.attributes).toBeNull();
  });
});

describe('a failed publish', () => {
  it('deletes what it wrote, through cleanupStore, so gc finds nothing of it', async () => {
    const store = new MemoryBlobStore();
    const good = await publishIndex(store, first, { name: 'clean' }, { now: T0 });
    const objects = await objectsOfSecond();
    for (const allowedPuts of [3, objects, objects + 1]) {
      await expect(
        publishIndex(
          new CrashingStore(store, allowedPuts),
          second,
          { name: 'clean' },
          { now: T1, cleanupStore: store },
        ),
      ).rejects.toThrow(/simulated crash/);
      expect((await listVersions(store)).map((v) => v.version)).toEqual([good.version]);
      expect(await readCurrentVersion(store)).toBe(good.version);
    }
  });
});

describe('a crashed publish', () => {
  it('shows as an incomplete version that gc removes only after the grace period', async () => {
    const store = new MemoryBlobStore();
    const good = await publishIndex(store, first, { name: 'gc' }, { now: T0 });
    await expect(
      publishIndex(new CrashingStore(store, 6), second, { name: 'gc' }, { now: T1 }),
    ).rejects.toThrow();
    const versions = await listVersions(store);
    expect(versions.map((v) => [v.isCurrent, v.complete, v.objects])).toEqual([
      [false, false, 6],
      [true, true, manifestObjects(good.manifest).length + 1],
    ]);
    const early = await gcVersions(store, { keep: 1, now: new Date(T1.getTime() + 60_000) });
    expect(early.deleted).toEqual([]);
    const late = await gcVersions(store, { keep: 1, now: new Date(T1.getTime() + 2 * 3_600_000) });
    expect(late.deleted).toEqual([versions[0]!.version]);
    expect(late.objectsDeleted).toBe(6);
    expect((await listVersions(store)).map((v) => v.version)).toEqual([good.version]);
  });

  it('that stopped before CURRENT leaves a complete version that setCurrentVersion adopts', async () => {
    const store = new MemoryBlobStore();
    await publishIndex(store, first, { name: 'adopt' }, { now: T0 });
    const puts = (await objectsOfSecond()) + 1; // every object and the manifest, not CURRENT
    await expect(
      publishIndex(new CrashingStore(store, puts), second, { name: 'adopt' }, { now: T1 }),
    ).rejects.toThrow();
    const [stranded] = await listVersions(store);
    expect(stranded).toMatchObject({ complete: true, isCurrent: false });
    await setCurrentVersion(store, stranded!.version);
    const loaded = await loadIndex(store);
    expect(loaded.index.search(query(3), { topK: 5 })).toEqual(second.search(query(3), { topK: 5 }));
  });
});
