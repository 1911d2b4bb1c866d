import { join } from 'node:path';
import {
  type AttributeSchema,
  buildAttributeColumns,
  buildIndex,
  type Metric,
  SeededRandom,
} from '@squash/core';
import { logKey, publishIndex } from '@squash/index-format';
import { openBlobStore } from '@squash/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveRows } from './support/live-rows.ts';
import { type WritableTree, writableTree } from './support/writable-tree.ts';

const DIM = 8;
const SCHEMA: AttributeSchema = {
  label: { type: 'integer' },
  color: { type: 'category' },
  active: { type: 'boolean' },
};
const COLORS = ['red', 'green', 'blue'];
const FILTERS: unknown[] = [
  undefined,
  { label: 3 },
  { color: { $in: ['red', 'blue'] }, active: true },
  { $or: [{ label: { $lt: 2 } }, { color: { $exists: false } }] },
  { label: 42 },
];

function randomRow(random: SeededRandom): { vector: Float32Array; attributes: Record<string, unknown> } {
  const vector = Float32Array.from({ length: DIM }, () => random.nextGaussian() * 3);
  const attributes: Record<string, unknown> = { label: random.nextInt(5), active: random.nextFloat() < 0.5 };
  // One row in ten has no color: missing values must behave as in a partition.
  if (random.nextFloat() >= 0.1) attributes.color = COLORS[random.nextInt(COLORS.length)];
  return { vector, attributes };
}

const wire = (id: string, row: { vector: Float32Array; attributes: Record<string, unknown> }) => ({
  id,
  vector: Array.from(row.vector),
  attributes: row.attributes,
});

async function expectAllExact(tree: WritableTree, live: LiveRows, name: string, random: SeededRandom) {
  for (let q = 0; q < 6; q++) {
    const query = Float32Array.from({ length: DIM }, () => random.nextGaussian() * 3);
    for (const filter of FILTERS) {
      for (const topK of [1, 7, 40]) await live.expectExact(tree.coordinator, name, query, topK, filter);
    }
  }
}

let tree: WritableTree | undefined;
afterEach(async () => {
  await tree?.close();
  tree = undefined;
});

describe('read-your-writes', () => {
  for (const metric of ['l2', 'cosine', 'ip'] as Metric[]) {
    it(`answers a new index exactly from its log after upserts, replacements and deletes (${metric})`, async () => {
      tree = await writableTree();
      const random = new SeededRandom(7);
      const live = new LiveRows(metric, DIM, SCHEMA);
      expect((await tree.writes.createIndex('fresh', { dim: DIM, metric, schema: SCHEMA })).created).toBe(
        true,
      );
      expect(await tree.coordinator.listIndexes()).toEqual(['fresh']);
      expect(
        (await tree.coordinator.query('fresh', { vector: Array(DIM).fill(1), topK: 5 }, 'r')).matches,
      ).toEqual([]);
      for (let batch = 0; batch < 4; batch++) {
        const rows = Array.from({ length: 30 }, (_, i) => [`r${batch * 30 + i}`, randomRow(random)] as const);
        await tree.writes.upsert('fresh', { vectors: rows.map(([id, row]) => wire(id, row)) });
        for (const [id, row] of rows) live.upsert(id, row);
      }
      // Replace some rows, delete others (some deleted then written again).
      const replaced = Array.from({ length: 15 }, (_, i) => [`r${i * 7}`, randomRow(random)] as const);
      await tree.writes.upsert('fresh', { vectors: replaced.map(([id, row]) => wire(id, row)) });
      for (const [id, row] of replaced) live.upsert(id, row);
      const deleted = Array.from({ length: 20 }, (_, i) => `r${i * 5 + 1}`);
      await tree.writes.delete('fresh', { ids: deleted });
      for (const id of deleted) live.delete(id);
      const back = randomRow(random);
      await tree.writes.upsert('fresh', { vectors: [wire('r1', back)] });
      live.upsert('r1', back);
      await expectAllExact(tree, live, 'fresh', random);
      const summary = await tree.coordinator.describe('fresh');
      expect(summary).toMatchObject({ count: live.rows.size, dim: DIM, metric, version: '', partitions: 0 });
    });
  }

  for (const idsKind of ['row-number', 'strings'] as const) {
    it(`answers a built index plus writes exactly, never returning a replaced or deleted base row (${idsKind} ids)`, async () => {
      tree = await writableTree();
      const random = new SeededRandom(11);
      const live = new LiveRows('l2', DIM, SCHEMA);
      const n = 400;
      const baseRows = Array.from({ length: n }, () => randomRow(random));
      const ids = baseRows.map((_, i) => (idsKind === 'strings' ? `doc-${i}` : String(i)));
      const vectors = new Float32Array(n * DIM);
      baseRows.forEach((row, i) => {
        vectors.set(row.vector, i * DIM);
        live.upsert(ids[i]!, row);
      });
      await tree.build('built', vectors, DIM, {
        metric: 'l2',
        schema: SCHEMA,
        rows: baseRows.map((r) => r.attributes),
        partitions: 5,
        ...(idsKind === 'strings' ? { ids } : {}),
      });
      await expectAllExact(tree, live, 'built', random);
      // Replacements move base rows far away (so they would rank first if not masked).
      const replaced = Array.from({ length: 40 }, (_, i) => ids[i * 9]!);
      const moved = replaced.map(
        (id) => [id, { ...randomRow(random), vector: Float32Array.from({ length: DIM }, () => 50) }] as const,
      );
      await tree.writes.upsert('built', { vectors: moved.map(([id, row]) => wire(id, row)) });
      for (const [id, row] of moved) live.upsert(id, row);
      const deleted = Array.from({ length: 60 }, (_, i) => ids[i * 6 + 1]!).filter(
        (id) => !replaced.includes(id),
      );
      await tree.writes.delete('built', { ids: [...deleted, 'never-existed'] });
      for (const id of deleted) live.delete(id);
      const added = Array.from({ length: 50 }, (_, i) => [`new-${i}`, randomRow(random)] as const);
      await tree.writes.upsert('built', { vectors: added.map(([id, row]) => wire(id, row)) });
      for (const [id, row] of added) live.upsert(id, row);
      await expectAllExact(tree, live, 'built', random);
      // Near the moved rows' new place: only their new versions can be there.
      await live.expectExact(
        tree.coordinator,
        'built',
        Float32Array.from({ length: DIM }, () => 50),
        60,
      );
      const answer = await tree.coordinator.query('built', { vector: Array(DIM).fill(0), topK: 1000 }, 'all');
      const returned = new Set(answer.matches.map((m) => m.id));
      for (const id of deleted) expect(returned.has(id)).toBe(false);
      expect(answer.matches).toHaveLength(live.rows.size);
      expect((await tree.coordinator.describe('built')).count).toBe(live.rows.size);
    });
  }

  it('serves bounded-staleness reads from the tail it holds, and reads new entries once versionCheckMs has passed', async () => {
    let now = 1_000_000;
    tree = await writableTree();
    const { coordinator } = tree.another(
      { tailReads: 'bounded-staleness', versionCheckMs: 5000 },
      {},
      { now: () => now },
    );
    await tree.writes.createIndex('s', { dim: 2, metric: 'l2' });
    await tree.writes.upsert('s', { vectors: [{ id: 'a', vector: [0, 0] }] });
    expect((await coordinator.query('s', { vector: [0, 0], topK: 5 }, 'q')).matches.map((m) => m.id)).toEqual(
      ['a'],
    );
    await tree.writes.upsert('s', { vectors: [{ id: 'b', vector: [1, 0] }] });
    now += 4000;
    expect((await coordinator.query('s', { vector: [0, 0], topK: 5 }, 'q')).matches.map((m) => m.id)).toEqual(
      ['a'],
    );
    now += 2000;
    expect((await coordinator.query('s', { vector: [0, 0], topK: 5 }, 'q')).matches.map((m) => m.id)).toEqual(
      ['a', 'b'],
    );
    // The default (read-your-writes) coordinator sees every acknowledged write at once.
    await tree.writes.upsert('s', { vectors: [{ id: 'c', vector: [0.5, 0] }] });
    expect(
      (await tree.coordinator.query('s', { vector: [0, 0], topK: 5 }, 'q')).matches.map((m) => m.id),
    ).toEqual(['a', 'c', 'b']);
  });

  it('re-pins the published version when a compaction deleted log entries its tail had not read', async () => {
    tree = await writableTree({ versionCheckMs: 60_000 });
    const random = new SeededRandom(5);
    const live = new LiveRows('l2', DIM, SCHEMA);
    await tree.writes.createIndex('compacted', { dim: DIM, metric: 'l2', schema: SCHEMA });
    const write = async (ids: string[]) => {
      const rows = ids.map((id) => [id, randomRow(random)] as const);
      await tree!.writes.upsert('compacted', { vectors: rows.map(([id, row]) => wire(id, row)) });
      for (const [id, row] of rows) live.upsert(id, row);
    };
    await write(Array.from({ length: 40 }, (_, i) => `a${i}`)); // entry 1
    await expectAllExact(tree, live, 'compacted', random); // the tail now holds entry 1
    await write(Array.from({ length: 40 }, (_, i) => `b${i}`)); // entry 2
    await tree.writes.delete('compacted', { ids: ['a3', 'b4'] }); // entry 3
    live.delete('a3');
    live.delete('b4');
    // A compaction: publish a version of the live rows folding entries 1..3, then delete the
    // folded entries but the newest.
    const ids = [...live.rows.keys()];
    const vectors = new Float32Array(ids.length * DIM);
    ids.forEach((id, i) => {
      vectors.set(live.rows.get(id)!.vector, i * DIM);
    });
    const store = openBlobStore(join(tree.root, 'compacted'));
    const index = buildIndex(vectors, ids.length, DIM, {
      metric: 'l2',
      partitions: 3,
      attributes: buildAttributeColumns(
        ids.map((id) => live.rows.get(id)!.attributes),
        SCHEMA,
      ),
    });
    await publishIndex(store, index, { name: 'compacted', ids, logSequence: 3 });
    await store.delete(logKey(1));
    await store.delete(logKey(2));
    await write(['a1', 'c1']); // entry 4: replaces a base row, adds one
    await expectAllExact(tree, live, 'compacted', random);
    expect((await tree.coordinator.describe('compacted')).partitions).toBe(3);
  });
});
