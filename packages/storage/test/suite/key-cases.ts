import { expect, it } from 'vitest';
import { chunksOf, collect, utf8Bytes } from '../support/test-bytes.ts';
import type { SuiteContext } from './suite-context.ts';

/** Keys every adapter rejects before any I/O, named for what is wrong with them. */
export const INVALID_KEYS: Readonly<Record<string, string>> = {
  empty: '',
  'leading slash': '/abs/key',
  'trailing slash': 'folder/',
  'empty segment': 'a//b',
  'dot-dot segment': '../escape',
  'inner dot-dot segment': 'a/../../escape',
  'dot segment': 'a/./b',
  backslash: 'a\\b',
  'NUL character': 'a\u0000b',
  'newline character': 'a\nb',
  'reserved temp-file prefix': 'a/.squash-tmp-123',
  'more than 1024 bytes': `k/${'x'.repeat(1023)}`,
};

const INVALID_PREFIXES = ['/abs', 'a//', '../', 'a/../', 'a\\b'];

/** Key validation and unusual but valid keys. */
export function defineKeyCases({ store }: SuiteContext): void {
  for (const [problem, key] of Object.entries(INVALID_KEYS)) {
    it(`rejects a key with ${problem} on every method with INVALID_ARGUMENT`, async () => {
      const s = store();
      const attempts: Array<() => Promise<unknown>> = [
        () => s.get(key),
        () => s.getRange(key, 0, 1),
        () => s.put(key, utf8Bytes('x')),
        () => s.putStream(key, chunksOf([utf8Bytes('x')])),
        () => s.head(key),
        () => s.delete(key),
      ];
      for (const attempt of attempts) {
        await expect(attempt()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'key', key });
      }
    });
  }

  it('rejects invalid listing prefixes with INVALID_ARGUMENT', async () => {
    for (const prefix of INVALID_PREFIXES) {
      await expect(collect(store().list(prefix))).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        argument: 'prefix',
      });
      await expect(store().deletePrefix(prefix)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });

  it('round-trips keys with spaces, punctuation and non-ASCII characters', async () => {
    const keys = [
      'odd/with space.bin',
      'odd/plus+equals=amp&.bin',
      'odd/percent%20.bin',
      'odd/ümlaut-日本.bin',
      'odd/.hidden',
    ];
    for (const key of keys) await store().put(key, utf8Bytes(key));
    for (const key of keys) expect(new TextDecoder().decode(await store().get(key))).toBe(key);
    expect((await collect(store().list('odd/'))).map((entry) => entry.key).sort()).toEqual([...keys].sort());
  });
}
