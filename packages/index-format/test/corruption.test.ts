import type { BlobStore } from '@squash/storage';
import { MemoryBlobStore } from '@squash/storage';
import { afterAll, describe, expect, it } from 'vitest';
import { readCurrentVersion } from '../src/current-version.ts';
import { loadIndex } from '../src/load-index.ts';
import { loadManifest } from '../src/load-manifest.ts';
import { loadPartition } from '../src/load-partition.ts';
import { loadRouting } from '../src/load-routing.ts';
import { publishIndex } from '../src/publish-index.ts';
import { readVectorRows } from '../src/read-vector-rows.ts';
import { verifyIndex } from '../src/verify-index.ts';
import { smallIndex, storeKinds } from './support/fixtures.ts';

const index = smallIndex('cosine', true);

async function published(store: BlobStore): Promise<string> {
  return (await publishIndex(store, index, { name: 'damaged' })).version;
}

async function flipByte(store: BlobStore, key: string, at: (length: number) => number): Promise<void> {
  const bytes = (await store.get(key))!;
  const position = at(bytes.byteLength);
  bytes[position] = bytes[position]! ^ 0x01;
  await store.put(key, bytes);
}

const kinds = storeKinds();
afterAll(() => Promise.all(kinds.map((kind) => kind.cleanup())));

for (const kind of kinds) {
  describe(`damaged objects on the ${kind.name} store`, () => {
    const damaged = [
      'partitions/00002/vectors.bin',
      'partitions/00000/quantizer.bin',
      'partitions/00003/attributes.bin',
      'routing/membership.bin',
      'routing/quantized-attributes.bin',
      'leanvec.json',
    ];
    for (const relative of damaged) {
      it(`rejects a flipped byte in ${relative} with INDEX_CORRUPT naming the key`, async () => {
        const store = await kind.open();
        const version = await published(store);
        const key = `versions/${version}/${relative}`;
        await flipByte(store, key, (length) => Math.floor(length * 0.7));
        const error = { code: 'INDEX_CORRUPT', key, message: expect.stringContaining(key) };
        await expect(loadIndex(store)).rejects.toMatchObject(error);
        const report = await verifyIndex(store);
        expect(report.ok).toBe(false);
        expect(report.problems).toEqual([{ key, message: expect.stringContaining('CRC-32C') }]);
      });
    }

    it('rejects a truncated object even with verify off', async () => {
      const store = await kind.open();
      const version = await published(store);
      const key = `versions/${version}/partitions/00001/osq-codes.bin`;
      const bytes = (await store.get(key))!;
      await store.put(key, bytes.subarray(0, bytes.byteLength - 8));
      const manifest = await loadManifest(store);
      await expect(loadPartition(store, manifest, 1, { verify: false })).rejects.toMatchObject({
        code: 'INDEX_CORRUPT',
        key,
        message: expect.stringContaining('truncated'),
      });
      await expect(loadIndex(store)).rejects.toMatchObject({ code: 'INDEX_CORRUPT', key });
    });

    it('rejects ranged reads past the end of a truncated vectors object', async () => {
      const store = await kind.open();
      const version = await published(store);
      const manifest = await loadManifest(store);
      const key = `versions/${version}/partitions/00000/vectors.bin`;
      const bytes = (await store.get(key))!;
      await store.put(key, bytes.subarray(0, bytes.byteLength / 2));
      const last = manifest.partitions[0]!.rows - 1;
      await expect(readVectorRows(store, manifest, 0, [last])).rejects.toMatchObject({
        code: 'INDEX_CORRUPT',
        key,
      });
      await expect(readVectorRows(store, manifest, 0, [0])).resolves.toHaveLength(manifest.dim);
    });

    it('rejects a missing object with INDEX_CORRUPT naming it', async () => {
      const store = await kind.open();
      const version = await published(store);
      const key = `versions/${version}/routing/radii.bin`;
      await store.delete(key);
      await expect(loadRouting(store, await loadManifest(store))).rejects.toMatchObject({
        code: 'INDEX_CORRUPT',
        key,
        message: expect.stringContaining('missing'),
      });
    });
  });
}

describe('missing and malformed index metadata', () => {
  it('reports a store without CURRENT as INDEX_NOT_FOUND', async () => {
    const store = new MemoryBlobStore();
    await expect(readCurrentVersion(store)).rejects.toMatchObject({ code: 'INDEX_NOT_FOUND' });
    await expect(loadManifest(store)).rejects.toMatchObject({ code: 'INDEX_NOT_FOUND' });
    await expect(loadIndex(store)).rejects.toMatchObject({ code: 'INDEX_NOT_FOUND' });
    await expect(verifyIndex(store)).rejects.toMatchObject({ code: 'INDEX_NOT_FOUND' });
  });

  it('reports an unknown version as INDEX_NOT_FOUND', async () => {
    const store = new MemoryBlobStore();
    await published(store);
    await expect(loadIndex(store, { version: 'v20200101T000000.000Z-00000000' })).rejects.toMatchObject({
      code: 'INDEX_NOT_FOUND',
      version: 'v20200101T000000.000Z-00000000',
    });
  });

  it('reports a CURRENT that does not name a version as INDEX_CORRUPT', async () => {
    const store = new MemoryBlobStore();
    await store.put('CURRENT', new TextEncoder().encode('{"version": "latest"}'));
    await expect(loadIndex(store)).rejects.toMatchObject({ code: 'INDEX_CORRUPT', key: 'CURRENT' });
  });

  it('reports a manifest that is not JSON, or has an inconsistent field, as INDEX_CORRUPT', async () => {
    const store = new MemoryBlobStore();
    const version = await published(store);
    const key = `versions/${version}/manifest.json`;
    const text = new TextDecoder().decode(await store.get(key));
    await store.put(key, new TextEncoder().encode(text.slice(0, text.length - 10)));
    await expect(loadIndex(store)).rejects.toMatchObject({ code: 'INDEX_CORRUPT', key });
    expect(await verifyIndex(store)).toMatchObject({ ok: false, problems: [{ key }] });
    const json = JSON.parse(text);
    json.partitions[1].rows += 1;
    await store.put(key, new TextEncoder().encode(JSON.stringify(json)));
    await expect(loadManifest(store)).rejects.toMatchObject({
      code: 'INDEX_CORRUPT',
      key,
      message: expect.stringContaining('partitions[1].objects.vectors.bytes'),
    });
  });

  it('loads a damaged float payload when verify is off: the checksum is what catches it', async () => {
    const store = new MemoryBlobStore();
    const version = await published(store);
    await flipByte(store, `versions/${version}/partitions/00002/vectors.bin`, (length) => length - 3);
    const loaded = await loadIndex(store, { verify: false });
    expect(loaded.index.parts.partitions[2]!.vectors).not.toEqual(index.parts.partitions[2]!.vectors);
  });

  it('verifies an intact index as ok with every object counted', async () => {
    const store = new MemoryBlobStore();
    const { manifest } = await publishIndex(store, index, { name: 'intact' });
    const report = await verifyIndex(store);
    expect(report).toMatchObject({
      ok: true,
      problems: [],
      bytes: manifest.totalBytes,
      version: manifest.version,
    });
    // leanvec, centroids, radii, membership, quantized attributes; 6 objects per partition
    expect(report.objects).toBe(5 + 4 * 6);
  });
});
