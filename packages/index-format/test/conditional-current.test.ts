import { MemoryBlobStore } from '@squash/storage';
import { afterAll, describe, expect, it } from 'vitest';
import { readCurrentTag, readCurrentVersion } from '../src/current-version.ts';
import { publishIndex } from '../src/publish-index.ts';
import { listVersions } from '../src/versions.ts';
import { smallIndex, storeKinds } from './support/fixtures.ts';

const first = smallIndex('l2', false);
const second = smallIndex('l2', true);

const kinds = storeKinds();
afterAll(() => Promise.all(kinds.map((kind) => kind.cleanup())));

for (const kind of kinds) {
  describe(`a publish with expectCurrent on the ${kind.name} store`, () => {
    it('moves CURRENT when nobody published since the snapshot', async () => {
      const store = await kind.open();
      const base = await publishIndex(store, first, { name: 'c' });
      const tag = await readCurrentTag(store);
      expect(tag.version).toBe(base.version);
      const next = await publishIndex(store, second, { name: 'c' }, { expectCurrent: tag });
      expect(await readCurrentVersion(store)).toBe(next.version);
    });

    it('creates CURRENT only if there still is none when the snapshot saw none', async () => {
      const store = await kind.open();
      const empty = await readCurrentTag(store);
      expect(empty).toEqual({ version: undefined, etag: undefined });
      const winner = await publishIndex(store, first, { name: 'c' });
      await expect(
        publishIndex(store, second, { name: 'c' }, { expectCurrent: empty }),
      ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', expected: undefined });
      expect(await readCurrentVersion(store)).toBe(winner.version);
    });

    it('loses with PRECONDITION_FAILED, keeps CURRENT and deletes its version when another publish won', async () => {
      const store = await kind.open();
      await publishIndex(store, first, { name: 'c' });
      const stale = await readCurrentTag(store);
      const winner = await publishIndex(store, first, { name: 'c' });
      const error = await publishIndex(store, second, { name: 'c' }, { expectCurrent: stale }).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'PRECONDITION_FAILED', expected: stale.version });
      expect((error as Error).message).toMatch(/another publish moved it/);
      expect(await readCurrentVersion(store)).toBe(winner.version);
      const versions = await listVersions(store);
      expect(versions.map((v) => v.version).sort()).toEqual([stale.version, winner.version].sort());
    });
  });
}

describe('readCurrentTag', () => {
  it('returns a tag that changes when CURRENT is rewritten', async () => {
    const store = new MemoryBlobStore();
    await publishIndex(store, first, { name: 'c' });
    const before = await readCurrentTag(store);
    await publishIndex(store, first, { name: 'c' });
    const after = await readCurrentTag(store);
    expect(after.etag).not.toBe(before.etag);
    expect(after.version).not.toBe(before.version);
  });
});
