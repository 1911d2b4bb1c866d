import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeIdx } from '@squash/io';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AttributeSource, loadAttributes, parseAttributeSpec } from '../src/index.ts';
import { useTempDir } from './cli-harness.ts';

const tmp = useTempDir();

beforeAll(async () => {
  await writeIdx(join(tmp.path, 'labels.idx'), Int32Array.from([3, 1, 4, 1]), [4]);
  await writeIdx(join(tmp.path, 'images.idx'), new Uint8Array(8), [4, 2]);
  await writeFile(
    join(tmp.path, 'a.jsonl'),
    '{"shop": "x", "price": 1}\n\n{"shop": "y"}\nnull\n{"price": 2.5}\n',
  );
  await writeFile(join(tmp.path, 'b.csv'), 'stock,shop\n1,x\n2,y\n3,x\n4,z\n');
  await writeFile(join(tmp.path, 'stock.csv'), 'stock\n1\n2\n3\n4\n');
  await writeFile(join(tmp.path, 'bad.jsonl'), '{"a": 1}\n[1, 2]\n');
});

async function load(sources: AttributeSource[], extra: { inputRows?: Record<string, unknown>[] } = {}) {
  return loadAttributes({
    rowCount: 4,
    vectorsFile: 'base.fvecs',
    sources,
    resolvePath: (path) => join(tmp.path, path),
    ...extra,
  });
}

describe('parseAttributeSpec', () => {
  it('recognises name=file, JSONL and CSV files (optionally gzipped)', () => {
    expect(parseAttributeSpec('label=train-labels-idx1-ubyte.gz')).toEqual({
      kind: 'labels',
      name: 'label',
      file: 'train-labels-idx1-ubyte.gz',
    });
    expect(parseAttributeSpec('meta.jsonl.gz')).toEqual({ kind: 'jsonl', file: 'meta.jsonl.gz' });
    expect(parseAttributeSpec('meta.NDJSON')).toEqual({ kind: 'jsonl', file: 'meta.NDJSON' });
    expect(parseAttributeSpec('dir/a=b.csv')).toEqual({ kind: 'csv', file: 'dir/a=b.csv' });
  });

  it('rejects anything else with a usage error listing the forms', () => {
    expect(() => parseAttributeSpec('labels.txt')).toThrow(/allowed: a .jsonl, .ndjson or .csv file/);
  });
});

describe('loadAttributes', () => {
  it('reads an IDX label file as an integer column without row objects', async () => {
    const columns = (await load([{ kind: 'labels', name: 'label', file: 'labels.idx' }]))!;
    expect(columns.schema).toEqual({ label: { type: 'integer' } });
    expect(columns.columns.get('label')).toEqual({
      type: 'integer',
      values: Float64Array.from([3, 1, 4, 1]),
    });
  });

  it('honours a declared category type for a label file', async () => {
    const columns = (await loadAttributes({
      rowCount: 4,
      vectorsFile: 'base.fvecs',
      sources: [{ kind: 'labels', name: 'label', file: 'labels.idx' }],
      schema: { label: { type: 'category' } },
      resolvePath: (path) => join(tmp.path, path),
    }))!;
    expect(columns.columns.get('label')).toMatchObject({ type: 'category', dictionary: ['1', '3', '4'] });
  });

  it('merges JSONL, CSV and label sources, inferring types; blank JSONL lines are skipped, null is no attributes', async () => {
    const columns = (await load([
      { kind: 'jsonl', file: 'a.jsonl' },
      { kind: 'labels', name: 'label', file: 'labels.idx' },
      { kind: 'csv', file: 'stock.csv' },
    ]))!;
    expect(Object.keys(columns.schema)).toEqual(['shop', 'price', 'label', 'stock']);
    expect(columns.schema.price).toEqual({ type: 'number' });
    expect(columns.columns.get('price')).toEqual({
      type: 'number',
      values: Float64Array.from([1, Number.NaN, Number.NaN, 2.5]),
    });
    expect(columns.columns.get('shop')).toMatchObject({
      dictionary: ['x', 'y'],
      codes: Int32Array.from([0, 1, -1, -1]),
    });
  });

  it('rejects an attribute given by two sources, naming both files', async () => {
    await expect(
      load([
        { kind: 'jsonl', file: 'a.jsonl' },
        { kind: 'csv', file: 'b.csv' },
      ]),
    ).rejects.toThrow(/^b.csv: attribute "shop" is also given by a.jsonl; give each attribute in one source/);
  });

  it('rejects an attribute given both in the JSONL input and a source file', async () => {
    await expect(
      load([{ kind: 'csv', file: 'b.csv' }], { inputRows: [{ shop: 'q' }, {}, {}, {}] }),
    ).rejects.toThrow(/^b.csv: attribute "shop" is also given by base.fvecs/);
  });

  it('rejects a label file of vectors rather than labels', async () => {
    await expect(load([{ kind: 'labels', name: 'x', file: 'images.idx' }])).rejects.toThrow(
      /^images.idx: holds rows of 2 values; expected one label per row/,
    );
  });

  it('rejects a JSONL attribute line that is not an object, naming the line', async () => {
    await expect(load([{ kind: 'jsonl', file: 'bad.jsonl' }])).rejects.toThrow(
      /^bad.jsonl at line 2: found an array/,
    );
  });

  it('names the file when a column mixes kinds', async () => {
    await writeFile(join(tmp.path, 'mixed.jsonl'), '{"a": 1}\n{"a": "x"}\n{}\n{}\n');
    await expect(load([{ kind: 'jsonl', file: 'mixed.jsonl' }])).rejects.toThrow(
      /^mixed.jsonl: attribute "a" mixes kinds/,
    );
  });

  it('returns undefined when there are no attributes', async () => {
    expect(await load([], { inputRows: [{}, {}, {}, {}] })).toBeUndefined();
  });
});
