import { join } from 'node:path';
import { MAX_CREATE_DIM } from '@squash/contracts';
import { lastSequence, MAX_INDEX_DIM, readLog } from '@squash/index-format';
import { openBlobStore } from '@squash/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_METADATA_BYTES } from '../src/write-validation.ts';
import { type WritableTree, writableTree } from './support/writable-tree.ts';

let tree: WritableTree | undefined;
afterEach(async () => {
  await tree?.close();
  tree = undefined;
});

const SCHEMA = {
  price: { type: 'number' },
  qty: { type: 'integer' },
  tag: { type: 'category' },
  on: { type: 'boolean' },
};

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  return promise.then(
    () => ({ code: 'NONE', message: '' }),
    (error: { code: string; message: string }) => ({ code: error.code, message: error.message }),
  );
}

describe('write service', () => {
  it('creates an index (created), accepts the same definition again (not created) and refuses a different one with INDEX_EXISTS', async () => {
    tree = await writableTree();
    const first = await tree.writes.createIndex('books', { dim: 3, metric: 'cosine', schema: SCHEMA });
    expect(first).toMatchObject({
      created: true,
      index: { name: 'books', dim: 3, metric: 'cosine', count: 0 },
    });
    expect(
      (await tree.writes.createIndex('books', { dim: 3, metric: 'cosine', schema: SCHEMA })).created,
    ).toBe(false);
    const conflict = await codeOf(tree.writes.createIndex('books', { dim: 4, metric: 'cosine' }));
    expect(conflict.code).toBe('INDEX_EXISTS');
    expect((await codeOf(tree.writes.createIndex('bad', { dim: 0, metric: 'l2' }))).code).toBe(
      'INVALID_REQUEST',
    );
    expect((await codeOf(tree.writes.createIndex('bad', { dim: 2, metric: 'l2', extra: 1 }))).code).toBe(
      'INVALID_REQUEST',
    );
  });

  it('refuses every bad write with its code, naming the row, and appends nothing', async () => {
    tree = await writableTree();
    await tree.writes.createIndex('w', { dim: 2, metric: 'l2', schema: SCHEMA });
    const ok = { id: 'a', vector: [1, 2] };
    const cases: Array<[unknown, string, string]> = [
      [{ vectors: [] }, 'INVALID_REQUEST', 'vectors is an array of 0 entries; allowed: an array of 1..1000'],
      [
        { vectors: Array.from({ length: 1001 }, (_, i) => ({ ...ok, id: `r${i}` })) },
        'INVALID_REQUEST',
        '1001 entries',
      ],
      [{ vectors: [ok], extra: true }, 'INVALID_REQUEST', 'unknown field'],
      [{ vectors: [ok, { ...ok, id: '' }] }, 'INVALID_ID', 'vectors[1].id'],
      [{ vectors: [ok, { ...ok, id: 7 }] }, 'INVALID_REQUEST', 'vectors[1].id'],
      [{ vectors: [{ ...ok, id: 'é'.repeat(257) }] }, 'INVALID_ID', '514 UTF-8 bytes'],
      [
        { vectors: [ok, { ...ok, id: 'b', vector: [1, 2, 3] }] },
        'DIMENSION_MISMATCH',
        'vectors[1].vector has 3',
      ],
      [{ vectors: [{ ...ok, vector: [1, Number.NaN] }] }, 'INVALID_REQUEST', 'vectors[0].vector[1]'],
      [{ vectors: [{ ...ok, vector: [1, 1e39] }] }, 'INVALID_REQUEST', 'float32'],
      [{ vectors: [{ ...ok, vector: [1, '2'] }] }, 'INVALID_REQUEST', 'vectors[0].vector[1]'],
      [{ vectors: [{ ...ok, attributes: { colour: 'red' } }] }, 'INVALID_ATTRIBUTE', 'not in the index'],
      [{ vectors: [{ ...ok, attributes: { price: 'cheap' } }] }, 'INVALID_ATTRIBUTE', 'a finite number'],
      [{ vectors: [{ ...ok, attributes: { qty: 1.5 } }] }, 'INVALID_ATTRIBUTE', 'an integer'],
      [{ vectors: [{ ...ok, attributes: { tag: 3 } }] }, 'INVALID_ATTRIBUTE', 'a string'],
      [{ vectors: [{ ...ok, attributes: { on: 'yes' } }] }, 'INVALID_ATTRIBUTE', 'true or false'],
      [{ vectors: [{ ...ok, attributes: [1] }] }, 'INVALID_REQUEST', 'vectors[0].attributes'],
      [{ vectors: [{ ...ok, metadata: 'x' }] }, 'INVALID_REQUEST', 'vectors[0].metadata'],
      [
        { vectors: [{ ...ok, metadata: { text: 'x'.repeat(MAX_METADATA_BYTES) } }] },
        'METADATA_TOO_LARGE',
        'vectors[0].metadata',
      ],
      [{ vectors: [ok, { ...ok }] }, 'DUPLICATE_ID', 'vectors[1].id'],
      [{ vectors: [{ ...ok, vectors: 1 }] }, 'INVALID_REQUEST', 'unknown field vectors[0]'],
    ];
    for (const [body, code, message] of cases) {
      const error = await codeOf(tree.writes.upsert('w', body));
      expect([error.code, error.message]).toEqual([code, expect.stringContaining(message)]);
    }
    for (const [body, code] of [
      [{ ids: [] }, 'INVALID_REQUEST'],
      [{ ids: ['a', 'a'] }, 'DUPLICATE_ID'],
      [{ ids: [''] }, 'INVALID_ID'],
      [{ ids: ['a'], more: 1 }, 'INVALID_REQUEST'],
    ] as const) {
      expect((await codeOf(tree.writes.delete('w', body))).code).toBe(code);
    }
    expect((await codeOf(tree.writes.upsert('nope', { vectors: [ok] }))).code).toBe('INDEX_NOT_FOUND');
    expect(await lastSequence(openBlobStore(join(tree.root, 'w')))).toBe(0);
    // Null attributes are missing values, and a valid request is then accepted.
    const done = await tree.writes.upsert('w', { vectors: [{ ...ok, attributes: { price: null, qty: 2 } }] });
    expect(done).toEqual({ upserted: 1, sequence: 1 });
    expect(await tree.writes.delete('w', { ids: ['a', 'zz'] })).toEqual({ deleted: 2, sequence: 2 });
  });

  it('loses no write when two writers on different coordinators append to one index at once', async () => {
    tree = await writableTree();
    await tree.writes.createIndex('shared', { dim: 2, metric: 'l2' });
    const other = tree.another().writes;
    const write = (writer: typeof other, who: string, i: number) =>
      writer.upsert('shared', { vectors: [{ id: `${who}-${i}`, vector: [i, i] }] });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => [write(tree!.writes, 'a', i), write(other, 'b', i)]).flat(),
    );
    const sequences = results.map((r) => r.sequence).sort((x, y) => x - y);
    expect(sequences).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const entries = await readLog(openBlobStore(join(tree.root, 'shared')));
    expect(entries.flatMap((e) => e.ops.map((op) => op.id)).sort()).toHaveLength(20);
    expect((await tree.coordinator.describe('shared')).count).toBe(20);
  });

  it('finds an index created through another coordinator at once, and forgets a deleted one at once', async () => {
    tree = await writableTree();
    expect(await tree.coordinator.listIndexes()).toEqual([]);
    const other = tree.another();
    await other.writes.createIndex('late', { dim: 2, metric: 'l2' });
    await other.writes.upsert('late', { vectors: [{ id: 'x', vector: [1, 1] }] });
    const answer = await tree.coordinator.query('late', { vector: [1, 1], topK: 3 }, 'q');
    expect(answer.matches.map((m) => m.id)).toEqual(['x']);
    expect(await tree.coordinator.listIndexes()).toEqual(['late']);
    await tree.writes.deleteIndex('late');
    expect((await codeOf(tree.coordinator.query('late', { vector: [1, 1] }, 'q'))).code).toBe(
      'INDEX_NOT_FOUND',
    );
    expect(await tree.coordinator.listIndexes()).toEqual([]);
    expect((await codeOf(tree.writes.deleteIndex('late'))).code).toBe('INDEX_NOT_FOUND');
  });

  it('serves a deleted and re-created index from its new log only', async () => {
    tree = await writableTree({ versionCheckMs: 0 });
    const other = tree.another({ versionCheckMs: 0 });
    await tree.writes.createIndex('again', { dim: 1, metric: 'l2' });
    await tree.writes.upsert('again', { vectors: [0, 1, 2].map((i) => ({ id: `old${i}`, vector: [i] })) });
    expect((await other.coordinator.query('again', { vector: [0] }, 'q')).matches).toHaveLength(3);
    await tree.writes.deleteIndex('again');
    await tree.writes.createIndex('again', { dim: 1, metric: 'l2' });
    await tree.writes.upsert('again', { vectors: [{ id: 'new', vector: [5] }] });
    const answer = await other.coordinator.query('again', { vector: [0] }, 'q');
    expect(answer.matches.map((m) => m.id)).toEqual(['new']);
  });

  it('refuses writes to an index of the static table with FORBIDDEN, saying why', async () => {
    tree = await writableTree({ indexes: { legacy: 'memory://legacy' } });
    const error = await codeOf(tree.writes.upsert('legacy', { vectors: [{ id: 'a', vector: [1] }] }));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toContain('read-only');
    expect((await codeOf(tree.writes.deleteIndex('legacy'))).code).toBe('FORBIDDEN');
  });

  it('calls onCompactionDue once the tail reaches compactionTailRows, and never fails a write for it', async () => {
    const due: string[] = [];
    tree = await writableTree(
      {},
      {
        compactionTailRows: 5,
        onCompactionDue: (name) => {
          due.push(name);
          throw new Error('compactor unavailable');
        },
      },
    );
    await tree.writes.createIndex('c', { dim: 1, metric: 'l2' });
    await tree.writes.upsert('c', { vectors: [0, 1, 2].map((i) => ({ id: `r${i}`, vector: [i] })) });
    // Replacing a row does not grow the tail: still 3 ids.
    await tree.writes.upsert('c', { vectors: [{ id: 'r0', vector: [9] }] });
    expect(due).toEqual([]);
    await tree.writes.delete('c', { ids: ['r1', 'gone'] });
    expect(due).toEqual([]);
    const result = await tree.writes.upsert('c', { vectors: [{ id: 'r5', vector: [5] }] });
    expect(result.sequence).toBe(4);
    expect(due).toEqual(['c']);
  });
});

describe('limits shared by the schema and the catalog', () => {
  it('allows the same largest dimension in the create schema and in the catalog', () => {
    expect(MAX_CREATE_DIM).toBe(MAX_INDEX_DIM);
  });
});
