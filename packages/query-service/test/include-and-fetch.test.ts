import { SeededRandom } from '@squash/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type WritableTree, writableTree } from './support/writable-tree.ts';

const DIM = 4;
const SCHEMA = { label: { type: 'integer' as const }, tag: { type: 'category' as const } };

let tree: WritableTree | undefined;
afterEach(async () => {
  await tree?.close();
  tree = undefined;
});

/**
 * A built index of 60 rows (ids "0".."59", label = row % 3, tag "t<row % 2>", metadata on every
 * fourth row) plus writes.
 */
async function builtWithWrites(): Promise<{ tree: WritableTree; base: Float32Array }> {
  const t = await writableTree();
  const random = new SeededRandom(3);
  const base = Float32Array.from({ length: 60 * DIM }, () => random.nextGaussian());
  await t.build('mixed', base, DIM, {
    metric: 'l2',
    schema: SCHEMA,
    rows: Array.from({ length: 60 }, (_, i) => ({ label: i % 3, tag: `t${i % 2}` })),
    metadata: Array.from({ length: 60 }, (_, i) => (i % 4 === 0 ? { row: i, text: `base ${i}` } : undefined)),
    partitions: 3,
  });
  await t.writes.upsert('mixed', {
    vectors: [
      {
        id: 'new',
        vector: [0.25, 0.5, 0.75, 1],
        attributes: { label: 7 },
        metadata: { title: 'fresh', n: [1, 2] },
      },
      {
        id: '5',
        vector: [9, 9, 9, 9],
        attributes: { label: 1, tag: 'moved' },
        metadata: { title: 'replaced' },
      },
    ],
  });
  await t.writes.delete('mixed', { ids: ['6'] });
  return { tree: t, base };
}

describe('include and fetch', () => {
  it('returns vectors, attributes and metadata of the matches a query asks for, from the log and the base', async () => {
    const built = await builtWithWrites();
    tree = built.tree;
    const answer = await tree.coordinator.query(
      'mixed',
      { vector: [0, 0, 0, 0], topK: 100, include: ['vector', 'metadata', 'attributes'] },
      'q',
    );
    expect(answer.matches).toHaveLength(60);
    const byId = new Map(
      answer.matches.map((m) => [m.id, m as typeof m & { vector?: number[]; metadata?: unknown }]),
    );
    expect(byId.get('new')).toMatchObject({
      vector: [0.25, 0.5, 0.75, 1],
      metadata: { title: 'fresh', n: [1, 2] },
      attributes: { label: 7, tag: null },
    });
    expect(byId.get('5')).toMatchObject({ vector: [9, 9, 9, 9], metadata: { title: 'replaced' } });
    expect(byId.has('6')).toBe(false);
    const row12 = byId.get('12')!;
    expect(row12.vector).toEqual(Array.from(built.base.subarray(12 * DIM, 13 * DIM)));
    expect(row12.attributes).toEqual({ label: 0, tag: 't0' });
    expect(row12.metadata).toEqual({ row: 12, text: 'base 12' });
    expect(byId.get('13')!.metadata).toBeUndefined();
    const withMetadata = answer.matches.filter((m) => 'metadata' in m).map((m) => m.id);
    expect(withMetadata.sort()).toEqual(
      ['new', '5', ...Array.from({ length: 15 }, (_, k) => String(4 * k)).filter((id) => id !== '5')].sort(),
    );
    const plain = await tree.coordinator.query('mixed', { vector: [0, 0, 0, 0], topK: 3 }, 'q');
    for (const match of plain.matches) expect(Object.keys(match).sort()).toEqual(['distance', 'id']);
  });

  it('fetches live rows in request order, leaving out deleted and unknown ids', async () => {
    const built = await builtWithWrites();
    tree = built.tree;
    const fetched = await tree.coordinator.fetch('mixed', {
      ids: ['missing', '12', '6', 'new', '5'],
      include: ['vector', 'attributes', 'metadata'],
    });
    expect(fetched.vectors.map((v) => v.id)).toEqual(['12', 'new', '5']);
    expect(fetched.vectors[0]).toEqual({
      id: '12',
      vector: Array.from(built.base.subarray(12 * DIM, 13 * DIM)),
      attributes: { label: 0, tag: 't0' },
      metadata: { row: 12, text: 'base 12' },
    });
    expect(fetched.vectors[1]).toMatchObject({
      metadata: { title: 'fresh', n: [1, 2] },
      attributes: { label: 7, tag: null },
    });
    expect(fetched.vectors[2]).toMatchObject({
      vector: [9, 9, 9, 9],
      attributes: { label: 1, tag: 'moved' },
    });
    const idsOnly = await tree.coordinator.fetch('mixed', { ids: ['13', 'new'] });
    expect(idsOnly).toEqual({ vectors: [{ id: '13' }, { id: 'new' }] });
    const vectorOnly = await tree.coordinator.fetch('mixed', { ids: ['13'], include: ['vector'] });
    expect(vectorOnly.vectors[0]!.vector).toEqual(Array.from(built.base.subarray(13 * DIM, 14 * DIM)));
  });

  it('refuses with ANSWER_TOO_LARGE a query whose included metadata could exceed the payload limit', async () => {
    tree = await writableTree();
    await tree.writes.createIndex('big', { dim: 1, metric: 'l2' });
    const text = 'x'.repeat(39 * 1024);
    await tree.writes.upsert('big', {
      vectors: Array.from({ length: 100 }, (_, i) => ({ id: `r${i}`, vector: [i], metadata: { text } })),
    });
    const error = await tree.coordinator
      .query('big', { vector: [0], topK: 100, include: ['metadata'] }, 'q')
      .then(
        () => undefined,
        (e: { code: string }) => e.code,
      );
    expect(error).toBe('ANSWER_TOO_LARGE');
    expect((await tree.coordinator.query('big', { vector: [0], topK: 100 }, 'q')).matches).toHaveLength(100);
    const few = await tree.coordinator.query('big', { vector: [0], topK: 5, include: ['metadata'] }, 'q');
    expect(few.matches.map((m) => (m.metadata?.text as string | undefined)?.length)).toEqual(
      Array(5).fill(text.length),
    );
  });

  it('refuses a fetch with duplicate ids, no ids, too many ids or an unknown include value', async () => {
    tree = await writableTree();
    await tree.writes.createIndex('f', { dim: 2, metric: 'l2' });
    const codeOf = (body: unknown) =>
      tree!.coordinator.fetch('f', body).then(
        () => 'NONE',
        (e: { code: string }) => e.code,
      );
    expect(await codeOf({ ids: ['a', 'a'] })).toBe('DUPLICATE_ID');
    expect(await codeOf({ ids: [] })).toBe('INVALID_REQUEST');
    expect(await codeOf({ ids: Array.from({ length: 1001 }, (_, i) => `r${i}`) })).toBe('INVALID_REQUEST');
    expect(await codeOf({ ids: ['a'], include: ['everything'] })).toBe('INVALID_REQUEST');
    expect(await codeOf({ ids: ['a'], other: 1 })).toBe('INVALID_REQUEST');
    expect(await codeOf({ ids: ['a'] })).toBe('NONE');
  });
});
