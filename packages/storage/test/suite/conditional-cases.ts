import { expect, it } from 'vitest';
import { utf8Bytes } from '../support/test-bytes.ts';
import { itUnlessDefect, type SuiteContext } from './suite-context.ts';

const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : new TextDecoder().decode(bytes);

/** Conditional writes (S3's If-None-Match / If-Match) and version tags: how writers are ordered. */
export function defineConditionalCases({ store, knownDefects }: SuiteContext): void {
  const defect = knownDefects.conditionalWrites;

  it('returns a tag from put that head reports and that changes on overwrite', async () => {
    const first = await store().put('tagged.txt', utf8Bytes('one'));
    expect(first.etag).not.toBe('');
    expect((await store().head('tagged.txt'))?.etag).toBe(first.etag);
    const second = await store().put('tagged.txt', utf8Bytes('two'));
    expect(second.etag).not.toBe(first.etag);
    expect((await store().head('tagged.txt'))?.etag).toBe(second.etag);
  });

  itUnlessDefect(
    defect,
    'creates with ifNoneMatch once and refuses the second create, keeping the first bytes',
    async () => {
      await store().put('log/0001.json', utf8Bytes('first'), { ifNoneMatch: '*' });
      await expect(
        store().put('log/0001.json', utf8Bytes('second'), { ifNoneMatch: '*' }),
      ).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
        key: 'log/0001.json',
        condition: 'ifNoneMatch',
      });
      expect(text(await store().get('log/0001.json'))).toBe('first');
    },
  );

  itUnlessDefect(defect, 'lets exactly one of many concurrent creates of one key win', async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        store().put('race/next.json', utf8Bytes(`writer ${i}`), { ifNoneMatch: '*' }),
      ),
    );
    const won = attempts.flatMap((a, i) => (a.status === 'fulfilled' ? [i] : []));
    expect(won).toHaveLength(1);
    for (const a of attempts)
      if (a.status === 'rejected') expect((a.reason as { code?: string }).code).toBe('PRECONDITION_FAILED');
    expect(text(await store().get('race/next.json'))).toBe(`writer ${won[0]}`);
  });

  itUnlessDefect(
    defect,
    'replaces with ifMatch only while the tag is current (compare-and-swap)',
    async () => {
      const { etag } = await store().put('pointer', utf8Bytes('v1'));
      const next = await store().put('pointer', utf8Bytes('v2'), { ifMatch: etag });
      await expect(store().put('pointer', utf8Bytes('v3'), { ifMatch: etag })).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
        condition: 'ifMatch',
      });
      expect(text(await store().get('pointer'))).toBe('v2');
      await store().put('pointer', utf8Bytes('v3'), { ifMatch: next.etag });
      expect(text(await store().get('pointer'))).toBe('v3');
    },
  );

  itUnlessDefect(defect, 'refuses ifMatch on a missing key', async () => {
    await expect(store().put('absent', utf8Bytes('x'), { ifMatch: 'some-tag' })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
    expect(await store().get('absent')).toBeUndefined();
  });

  it('rejects malformed conditions before any I/O', async () => {
    const bytes = utf8Bytes('x');
    await expect(store().put('k', bytes, { ifNoneMatch: '*', ifMatch: 'a' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(store().put('k', bytes, { ifNoneMatch: 'etag' as '*' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(store().put('k', bytes, { ifMatch: '' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(await store().head('k')).toBeUndefined();
  });
}
