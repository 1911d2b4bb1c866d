import { expect, it } from 'vitest';
import { collect, forEachConcurrently, utf8Bytes } from '../support/test-bytes.ts';
import { itUnlessDefect, type SuiteContext } from './suite-context.ts';

/** More keys than one S3 ListObjectsV2 page (1000), so paging is exercised. */
const PAGED_KEY_COUNT = 1100;

/** Listing by prefix (paging, order, sizes) and deleting by prefix. */
export function defineListCases({ store, knownDefects }: SuiteContext): void {
  const putAll = (keys: readonly string[]): Promise<void> =>
    forEachConcurrently(keys, 32, async (key) => {
      await store().put(key, utf8Bytes(key));
    });

  it('lists exactly the keys that start with the prefix, with their sizes', async () => {
    await putAll([
      'idx/a/manifest.json',
      'idx/a/seg-0.bin',
      'idx/ab/manifest.json',
      'idx/b/manifest.json',
      'other.txt',
    ]);
    expect(await collect(store().list('idx/a/'))).toEqual([
      { key: 'idx/a/manifest.json', sizeBytes: 'idx/a/manifest.json'.length },
      { key: 'idx/a/seg-0.bin', sizeBytes: 'idx/a/seg-0.bin'.length },
    ]);
    expect((await collect(store().list('idx/a'))).map((entry) => entry.key)).toEqual([
      'idx/a/manifest.json',
      'idx/a/seg-0.bin',
      'idx/ab/manifest.json',
    ]);
    expect((await collect(store().list(''))).length).toBe(5);
    expect(await collect(store().list('nothing/here/'))).toEqual([]);
  });

  it('lists an empty object with size zero', async () => {
    await store().put('zero/empty.bin', new Uint8Array(0));
    expect(await collect(store().list('zero/'))).toEqual([{ key: 'zero/empty.bin', sizeBytes: 0 }]);
  });

  it(`pages through ${PAGED_KEY_COUNT} keys, each listed once and in order`, async () => {
    const keys = Array.from({ length: PAGED_KEY_COUNT }, (_, i) => `bulk/key-${String(i).padStart(5, '0')}`);
    await putAll([...keys, 'bulk-neighbour/x', 'bulj/y']);
    const listed = (await collect(store().list('bulk/'))).map((entry) => entry.key);
    expect(listed.length).toBe(PAGED_KEY_COUNT);
    expect(listed).toEqual(keys);
  });

  it('lists keys in UTF-8 byte order across folders, case and non-ASCII characters', async () => {
    // Sorted by UTF-8 bytes. Plain JS sort would put the emoji (a surrogate pair) before U+FF5E.
    const sorted = ['order/0', 'order/A', 'order/Z', 'order/a/y/q', 'order/a/yz', 'order/a/z', 'order/a0/x'];
    const unicode = ['order/u/z', 'order/u/\u00e4', 'order/u/\u00e9', 'order/u/\uff5e', 'order/u/\u{1f600}'];
    const expected = [...sorted, 'order/b', ...unicode];
    await putAll([...expected].reverse());
    expect((await collect(store().list('order/'))).map((entry) => entry.key)).toEqual(expected);
  });

  itUnlessDefect(
    knownDefects.listOrderAroundSlash,
    'lists "-" and "." before "/" and "/" before digits',
    async () => {
      const expected = ['slash/a-1', 'slash/a.json', 'slash/a/b', 'slash/a0'];
      await putAll([...expected].reverse());
      expect((await collect(store().list('slash/'))).map((entry) => entry.key)).toEqual(expected);
    },
  );

  it('does not list deleted objects', async () => {
    await putAll(['del/one', 'del/two', 'del/three']);
    await store().delete('del/two');
    expect((await collect(store().list('del/'))).map((entry) => entry.key)).toEqual(['del/one', 'del/three']);
  });

  it('deletes every object under a prefix and nothing else, returning the count', async () => {
    const doomed = Array.from({ length: 30 }, (_, i) => `drop/me/${i}`);
    await putAll([...doomed, 'drop/keep', 'dropped']);
    expect(await store().deletePrefix('drop/me/')).toBe(30);
    expect((await collect(store().list('drop'))).map((entry) => entry.key)).toEqual(['drop/keep', 'dropped']);
    expect(await store().deletePrefix('drop/me/')).toBe(0);
  });
}
