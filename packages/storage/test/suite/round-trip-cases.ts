import { expect, it } from 'vitest';
import { firstDifference, forEachConcurrently, seededBytes, utf8Bytes } from '../support/test-bytes.ts';
import { itUnlessDefect, type SuiteContext } from './suite-context.ts';

/** Whole-object reads and writes: put, get, head, overwrite, delete, concurrency. */
export function defineRoundTripCases({ store, knownDefects }: SuiteContext): void {
  it('returns the bytes that were put', async () => {
    await store().put('docs/hello.txt', utf8Bytes('hello, squash'), { contentType: 'text/plain' });
    expect(new TextDecoder().decode(await store().get('docs/hello.txt'))).toBe('hello, squash');
  });

  it('round-trips an empty object as zero bytes, not as absence', async () => {
    await store().put('empty.bin', new Uint8Array(0));
    const bytes = await store().get('empty.bin');
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes?.byteLength).toBe(0);
    expect(await store().head('empty.bin')).toMatchObject({ sizeBytes: 0 });
  });

  it('round-trips a 5 MB object byte for byte', async () => {
    const original = seededBytes(5_000_000, 1);
    await store().put('big/five-mb.bin', original);
    const read = await store().get('big/five-mb.bin');
    expect(read?.byteLength).toBe(5_000_000);
    expect(firstDifference(read ?? new Uint8Array(0), original)).toBe(-1);
    expect(await store().head('big/five-mb.bin')).toMatchObject({ sizeBytes: 5_000_000 });
  });

  it('returns undefined from get and head for a missing key', async () => {
    expect(await store().get('missing/object.bin')).toBeUndefined();
    expect(await store().head('missing/object.bin')).toBeUndefined();
  });

  it('returns undefined for a key that is only a prefix of stored keys', async () => {
    await store().put('folder/child.bin', utf8Bytes('x'));
    expect(await store().get('folder')).toBeUndefined();
    expect(await store().head('folder')).toBeUndefined();
  });

  it('keeps stored bytes unchanged when the caller mutates its buffers', async () => {
    const written = utf8Bytes('immutable');
    await store().put('copy.bin', written);
    written[0] = 0x58;
    const firstRead = await store().get('copy.bin');
    if (firstRead === undefined) throw new Error('object vanished');
    firstRead[1] = 0x58;
    expect(new TextDecoder().decode(await store().get('copy.bin'))).toBe('immutable');
  });

  it('reports object sizes from head', async () => {
    await store().put('sizes/one.bin', new Uint8Array(1));
    await store().put('sizes/thousand.bin', seededBytes(1000, 2));
    expect((await store().head('sizes/one.bin'))?.sizeBytes).toBe(1);
    expect((await store().head('sizes/thousand.bin'))?.sizeBytes).toBe(1000);
  });

  it('replaces an object on overwrite, shorter or longer', async () => {
    await store().put('over.bin', seededBytes(3000, 3));
    const shorter = seededBytes(10, 4);
    await store().put('over.bin', shorter);
    expect(firstDifference((await store().get('over.bin')) ?? new Uint8Array(0), shorter)).toBe(-1);
    expect((await store().head('over.bin'))?.sizeBytes).toBe(10);
    const longer = seededBytes(5000, 5);
    await store().put('over.bin', longer);
    expect(firstDifference((await store().get('over.bin')) ?? new Uint8Array(0), longer)).toBe(-1);
  });

  it('deletes an object and treats deleting a missing key as success', async () => {
    await store().put('gone/soon.bin', utf8Bytes('bye'));
    await store().delete('gone/soon.bin');
    expect(await store().get('gone/soon.bin')).toBeUndefined();
    expect(await store().head('gone/soon.bin')).toBeUndefined();
    await expect(store().delete('gone/soon.bin')).resolves.toBeUndefined();
    await expect(store().delete('never/existed.bin')).resolves.toBeUndefined();
  });

  it('accepts a key that was a folder once every object below it is deleted', async () => {
    await store().put('reuse/inner/leaf.bin', utf8Bytes('leaf'));
    await store().delete('reuse/inner/leaf.bin');
    await store().put('reuse/inner', utf8Bytes('now a file'));
    expect(new TextDecoder().decode(await store().get('reuse/inner'))).toBe('now a file');
  });

  it('stores concurrent puts of different keys independently', async () => {
    const keys = Array.from({ length: 48 }, (_, i) => `parallel/${String(i).padStart(2, '0')}.bin`);
    await Promise.all(keys.map((key, i) => store().put(key, seededBytes(100 + i, 100 + i))));
    for (const [i, key] of keys.entries()) {
      expect(
        firstDifference((await store().get(key)) ?? new Uint8Array(0), seededBytes(100 + i, 100 + i)),
      ).toBe(-1);
    }
  });

  itUnlessDefect(
    knownDefects.atomicConcurrentOverwrite,
    'leaves one complete version after concurrent overwrites of one key',
    async () => {
      const versions = Array.from({ length: 6 }, (_, i) => seededBytes(64 * 1024 + i, 200 + i));
      await forEachConcurrently(versions, versions.length, async (bytes) => {
        await store().put('race.bin', bytes);
      });
      const read = (await store().get('race.bin')) ?? new Uint8Array(0);
      expect(versions.some((version) => firstDifference(read, version) === -1)).toBe(true);
    },
  );
}
