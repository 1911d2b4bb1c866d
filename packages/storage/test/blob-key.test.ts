import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertBlobKey, assertBlobPrefix, compareBlobKeys } from '../src/blob-key.ts';
import { INVALID_KEYS } from './suite/key-cases.ts';

const utf8 = new TextEncoder();

function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(utf8.encode(a)), Buffer.from(utf8.encode(b)));
}

describe('assertBlobKey', () => {
  it('accepts nested relative paths, dots inside names and non-ASCII', () => {
    for (const key of [
      'a',
      'a/b/c',
      'indexes/mnist/v1/manifest.json',
      '.hidden',
      'a/..b',
      'ü/日本',
      `k/${'x'.repeat(1022)}`,
    ]) {
      expect(() => assertBlobKey(key)).not.toThrow();
    }
  });

  for (const [problem, key] of Object.entries(INVALID_KEYS)) {
    it(`rejects a key with ${problem} with INVALID_ARGUMENT naming the key`, () => {
      expect(() => assertBlobKey(key)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'key', key }),
      );
    });
  }

  it('says what is wrong in the message', () => {
    expect(() => assertBlobKey('a//b')).toThrow('blob key "a//b" has an empty segment');
    expect(() => assertBlobKey('../x')).toThrow('has a ".." segment');
  });
});

describe('assertBlobPrefix', () => {
  it('accepts the empty prefix, folder prefixes and partial names', () => {
    for (const prefix of ['', 'a', 'a/', 'a/b', 'a/b/', 'a/.', 'a/..'])
      expect(() => assertBlobPrefix(prefix)).not.toThrow();
  });

  it('rejects prefixes whose complete segments break the key rules', () => {
    for (const prefix of ['/a', 'a//', '../', 'a/./', 'a\\', 'x/.squash-tmp-1/']) {
      expect(() => assertBlobPrefix(prefix)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'prefix' }),
      );
    }
  });
});

describe('compareBlobKeys', () => {
  it('orders keys as their UTF-8 bytes do, including surrogate pairs', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(Math.sign(compareBlobKeys(a, b))).toBe(Math.sign(compareUtf8(a, b)));
      }),
      { seed: 20260101, numRuns: 2000 },
    );
  });

  it('puts U+FF5E before an emoji, unlike UTF-16 string order', () => {
    expect(compareBlobKeys('\uff5e', '\u{1f600}')).toBeLessThan(0);
    expect('\uff5e' < '\u{1f600}').toBe(false);
  });
});
