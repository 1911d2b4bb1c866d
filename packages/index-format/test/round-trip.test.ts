import type { Metric, VectorIndex } from '@squash/core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadIndex } from '../src/load-index.ts';
import { publishIndex } from '../src/publish-index.ts';
import { DATA, query, smallIndex, storeKinds } from './support/fixtures.ts';

const FILTERS: unknown[] = [
  { label: { $in: [1, 2] } },
  { price: { $lt: 120 }, active: true },
  { $or: [{ color: 'red' }, { label: 7 }] },
  { color: { $ne: 'blue' }, price: { $exists: true } },
];

/** Forces every partition through Hamming, ADC and re-rank, so codes and quantizers matter. */
const APPROXIMATE = { exactThreshold: 0, hammingKeep: 0.5 };

function expectSameSearches(original: VectorIndex, loaded: VectorIndex, filters: unknown[]): void {
  for (let q = 0; q < DATA.nq; q++) {
    for (const filter of [undefined, ...filters]) {
      for (const parameters of [undefined, APPROXIMATE]) {
        const options = {
          topK: 10,
          ...(filter === undefined ? {} : { filter }),
          ...(parameters ? { parameters } : {}),
        };
        const a = original.search(query(q), options);
        const b = loaded.search(query(q), options);
        expect(b.ids).toEqual(a.ids);
        expect(b.distances).toEqual(a.distances);
        expect(b.stats).toEqual(a.stats);
      }
    }
  }
}

for (const kind of storeKinds()) {
  describe(`publish then load on the ${kind.name} store`, () => {
    afterAll(() => kind.cleanup());

    for (const metric of ['l2', 'cosine'] as Metric[]) {
      it(`restores a ${metric} index with attributes whose searches are identical, filtered or not`, async () => {
        const store = await kind.open();
        const original = smallIndex(metric, true);
        const { version, manifest } = await publishIndex(store, original, { name: `synthetic-${metric}` });
        const loaded = await loadIndex(store);
        expect(loaded.manifest.version).toBe(version);
        expect(loaded.manifest).toEqual(JSON.parse(JSON.stringify(manifest)));
        expect(loaded.index.parts).toEqual(original.parts);
        expectSameSearches(original, loaded.index, FILTERS);
      });

      it(`restores a ${metric} index without attributes whose searches are identical`, async () => {
        const store = await kind.open();
        const original = smallIndex(metric, false);
        await publishIndex(store, original, { name: 'plain' });
        const loaded = await loadIndex(store, { verify: false });
        expect(loaded.manifest.attributes).toBeNull();
        expect(loaded.index.parts).toEqual(original.parts);
        expectSameSearches(original, loaded.index, []);
      });
    }

    it('stores string ids per partition and maps rows back to them', async () => {
      const store = await kind.open();
      const ids = Array.from({ length: DATA.n }, (_, row) => `doc-${(row * 7919) % 100_003}-ü`);
      const { manifest } = await publishIndex(store, smallIndex('l2', true), { name: 'ids', ids });
      expect(manifest.idsKind).toBe('strings');
      expect(manifest.partitions.every((p) => p.objects.ids !== undefined)).toBe(true);
      const loaded = await loadIndex(store);
      for (const row of [0, 1, 1234, DATA.n - 1]) expect(loaded.idOf(row)).toBe(ids[row]);
      expect(() => loaded.idOf(DATA.n)).toThrow(/outside/);
    });

    it('stores no ids when they are the decimal row numbers', async () => {
      const store = await kind.open();
      const ids = Array.from({ length: DATA.n }, (_, row) => String(row));
      const { manifest } = await publishIndex(store, smallIndex('l2', false), { name: 'rows', ids });
      expect(manifest.idsKind).toBe('row-number');
      expect(manifest.partitions.every((p) => p.objects.ids === undefined)).toBe(true);
      expect((await loadIndex(store)).idOf(42)).toBe('42');
    });
  });
}

describe('the manifest', () => {
  it('records dims, counts, build parameters, schema and a checksum for every object', async () => {
    const [memory] = storeKinds();
    const store = await memory!.open();
    const index = smallIndex('cosine', true);
    const now = new Date('2026-11-29T06:30:00.123Z');
    const { version, manifest } = await publishIndex(store, index, { name: 'm' }, { now });
    expect(version).toMatch(/^v20261129T063000\.123Z-[0-9a-f]{8}$/);
    expect(manifest).toMatchObject({
      format: 'squash.index',
      formatVersion: 1,
      name: 'm',
      createdAt: '2026-11-29T06:30:00.123Z',
      metric: 'cosine',
      dim: DATA.dim,
      reducedDim: 12,
      count: DATA.n,
      idsKind: 'row-number',
      buildParameters: { partitions: 4, leanvecDim: 12, bitsPerDim: 4, seed: 3 },
    });
    expect(manifest.attributes?.columns.map((c) => [c.name, c.type])).toEqual([
      ['label', 'integer'],
      ['price', 'number'],
      ['color', 'category'],
      ['active', 'boolean'],
    ]);
    expect(manifest.partitions.map((p) => p.rows).reduce((a, b) => a + b)).toBe(DATA.n);
    for (const p of manifest.partitions) {
      expect(p.objects.vectors.bytes).toBe(40 + p.rows * DATA.dim * 4);
      for (const ref of Object.values(p.objects)) expect(ref.crc32c).toMatch(/^[0-9a-f]{8}$/);
    }
  });
});
