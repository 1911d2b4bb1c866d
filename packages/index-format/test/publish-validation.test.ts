import type { VectorIndexParts } from '@squash/core';
import { MemoryBlobStore } from '@squash/storage';
import { describe, expect, it } from 'vitest';
import { publishIndex } from '../src/publish-index.ts';
import { smallIndex } from './support/fixtures.ts';

const parts = smallIndex('l2', true).parts;

async function rejects(
  broken: VectorIndexParts,
  meta: { name: string; ids?: string[] },
  message: RegExp,
): Promise<void> {
  const store = new MemoryBlobStore();
  await expect(publishIndex(store, broken, meta)).rejects.toMatchObject({
    code: 'INVALID_ARGUMENT',
    message: expect.stringMatching(message),
  });
  const written: string[] = [];
  for await (const { key } of store.list('')) written.push(key);
  expect(written).toEqual([]);
}

describe('publishIndex input checks', () => {
  it('rejects an empty name and ids of the wrong length before writing anything', async () => {
    await rejects(parts, { name: '' }, /index name/);
    await rejects(parts, { name: 'x', ids: ['a', 'b'] }, /one per row/);
  });

  it('rejects membership that disagrees with the partitions', async () => {
    const membership = parts.membership.slice();
    membership[parts.partitions[0]!.rowIds[0]!] = 1;
    await rejects({ ...parts, membership }, { name: 'x' }, /membership puts elsewhere/);
  });

  it('rejects partition attributes that differ from the index-wide ones', async () => {
    const first = parts.partitions[0]!;
    const columns = new Map(first.attributes!.columns);
    const label = columns.get('label') as { type: 'integer'; values: Float64Array };
    const values = label.values.slice();
    values[0] = values[0]! + 1;
    columns.set('label', { type: 'integer', values });
    const partitions = [
      { ...first, attributes: { ...first.attributes!, columns } },
      ...parts.partitions.slice(1),
    ];
    await rejects({ ...parts, partitions }, { name: 'x' }, /attribute "label" differs/);
  });

  it('rejects attributes without their quantized codes', async () => {
    await rejects({ ...parts, quantizedAttributes: undefined }, { name: 'x' }, /quantized attributes/);
  });
});
