import { MemoryBlobStore } from '@squash/storage';
import { describe, expect, it } from 'vitest';
import { copyIndex, copyPhases } from '../../scripts/lib/copy-index.ts';
import { parseUploadArgs } from '../../scripts/lib/upload-args.ts';

const text = (s: string) => new TextEncoder().encode(s);

async function sourceIndex(extra: Record<string, Uint8Array> = {}): Promise<MemoryBlobStore> {
  const store = new MemoryBlobStore();
  const objects: Record<string, Uint8Array> = {
    CURRENT: text('v2'),
    'versions/v1/manifest.json': text('{"name":"t","partitions":[0]}'),
    'versions/v1/segments.bin': new Uint8Array([1, 2, 3]),
    'versions/v2/manifest.json': text('{"name":"t","partitions":[0,1]}'),
    'versions/v2/segments.bin': new Uint8Array([4, 5, 6, 7]),
    'versions/v2/vectors.f32': new Uint8Array(64).fill(9),
    ...extra,
  };
  for (const [key, bytes] of Object.entries(objects)) await store.put(key, bytes);
  return store;
}

describe('copyIndex', () => {
  it('copies every object and publishes data first, manifests next and CURRENT last', async () => {
    const source = await sourceIndex();
    const target = new MemoryBlobStore();
    const result = await copyIndex({ source, target, concurrency: 3 });
    expect(result.keys).toHaveLength(6);
    let sourceBytes = 0;
    for await (const { sizeBytes } of source.list('')) sourceBytes += sizeBytes;
    expect(result.bytes).toBe(sourceBytes);
    const position = (key: string) => result.keys.indexOf(key);
    for (const data of ['versions/v1/segments.bin', 'versions/v2/segments.bin', 'versions/v2/vectors.f32']) {
      expect(position(data)).toBeLessThan(position('versions/v2/manifest.json'));
    }
    expect(position('versions/v2/manifest.json')).toBeLessThan(position('CURRENT'));
    expect(result.keys.at(-1)).toBe('CURRENT');
    for await (const { key } of source.list('')) expect(await target.get(key)).toEqual(await source.get(key));
  });

  it('streams objects larger than one chunk and copies them byte for byte', async () => {
    const big = new Uint8Array(11 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    const source = await sourceIndex({ 'versions/v2/big.bin': big });
    const target = new MemoryBlobStore();
    const ranges: number[] = [];
    const getRange = source.getRange.bind(source);
    source.getRange = (key, offset, length) => {
      ranges.push(length);
      return getRange(key, offset, length);
    };
    await copyIndex({ source, target, chunkBytes: 5 * 1024 * 1024 });
    expect(ranges).toEqual([5 * 1024 * 1024, 5 * 1024 * 1024, 1024 * 1024 + 17]);
    const copy = await target.get('versions/v2/big.bin');
    // Buffer.equals, not toEqual: deep equality over 11 M elements takes minutes.
    expect(copy?.byteLength).toBe(big.byteLength);
    expect(Buffer.from(copy!).equals(Buffer.from(big))).toBe(true);
  });

  it('reports each copied object with its position', async () => {
    const seen: string[] = [];
    await copyIndex({
      source: await sourceIndex(),
      target: new MemoryBlobStore(),
      onCopied: (e) => seen.push(`${e.position}/${e.total} ${e.key}`),
    });
    expect(seen).toHaveLength(6);
    expect(seen.at(-1)).toBe('6/6 CURRENT');
  });

  it('refuses a source without CURRENT before writing anything', async () => {
    const source = new MemoryBlobStore();
    await source.put('versions/v1/manifest.json', text('{}'));
    const target = new MemoryBlobStore();
    await expect(copyIndex({ source, target })).rejects.toThrow(/no CURRENT object/);
    const written: string[] = [];
    for await (const { key } of target.list('')) written.push(key);
    expect(written).toEqual([]);
  });

  it('groups only versions/<v>/manifest.json files as manifests', () => {
    const phases = copyPhases([
      { key: 'CURRENT' },
      { key: 'versions/v1/manifest.json' },
      { key: 'versions/v1/partitions/manifest.json' },
      { key: 'manifest.json' },
      { key: 'versions/v1/a.bin' },
    ]).map((phase) => phase.map((e) => e.key));
    expect(phases).toEqual([
      ['versions/v1/partitions/manifest.json', 'manifest.json', 'versions/v1/a.bin'],
      ['versions/v1/manifest.json'],
      ['CURRENT'],
    ]);
  });
});

describe('parseUploadArgs', () => {
  it('parses the flags with their defaults', () => {
    expect(parseUploadArgs(['--index', './data/mnist', '--bucket', 'b'])).toEqual({
      indexDir: './data/mnist',
      bucket: 'b',
      prefix: 'indexes',
      concurrency: 4,
    });
    expect(
      parseUploadArgs([
        '--index',
        'd',
        '--bucket',
        'b',
        '--prefix',
        '/team/idx/',
        '--name',
        'm',
        '--concurrency',
        '8',
      ]),
    ).toEqual({ indexDir: 'd', bucket: 'b', prefix: 'team/idx', name: 'm', concurrency: 8 });
  });

  it('rejects missing and unknown flags with USAGE', () => {
    expect(() => parseUploadArgs(['--bucket', 'b'])).toThrow(/--index <dir> is required/);
    expect(() => parseUploadArgs(['--index', 'd'])).toThrow(/--bucket <name> is required/);
    expect(() => parseUploadArgs(['--index', 'd', '--bucket', 'b', '--force'])).toThrow(/force/);
    expect(() => parseUploadArgs(['--index', 'd', '--bucket', 'b', '--concurrency', '0'])).toThrow(/1 to 64/);
  });
});
