import { gzipSync } from 'node:zlib';
import { InvalidArgumentError } from '@squash/core';
import { describe, expect, it } from 'vitest';
import { type JsonlRecord, readJsonl, streamJsonl, writeJsonl } from '../src/index.ts';
import { collect, expectFileError, pattern, useTempDir } from './temp-dir.ts';

const tmp = useTempDir();

const records: JsonlRecord[] = Array.from({ length: 25 }, (_, i) => ({
  id: i % 2 === 0 ? i : `doc-${i}`,
  vector: Float32Array.from(pattern(1, 6).map((v) => v + i)),
  ...(i % 3 === 0 ? {} : { attributes: { tag: `t${i % 4}`, price: i * 1.5, tags: ['a', 'b'] } }),
}));

describe('JSONL round trip', () => {
  for (const name of ['r.jsonl', 'r.jsonl.gz']) {
    it(`reads back ids, float32 vectors and attributes (${name})`, async () => {
      await writeJsonl(tmp.path(name), records);
      const read = await readJsonl(tmp.path(name));
      expect([read.n, read.dim]).toEqual([25, 6]);
      expect(read.ids).toEqual(records.map((r) => r.id));
      expect(read.attributes).toEqual(records.map((r) => r.attributes));
      records.forEach((r, i) => {
        expect(read.data.subarray(i * 6, i * 6 + 6)).toEqual(r.vector);
      });
    });
  }

  it('writes from an async iterable', async () => {
    async function* lazy() {
      yield { id: 'a', vector: [1, 2] };
      yield { id: 'b', vector: [3, 4] };
    }
    await writeJsonl(tmp.path('lazy.jsonl'), lazy());
    expect((await readJsonl(tmp.path('lazy.jsonl'))).ids).toEqual(['a', 'b']);
  });

  it('accepts CRLF line endings, blank lines and a last line without a newline', async () => {
    const text = '{"id":1,"vector":[1,2]}\r\n\r\n   \n{"id":2,"vector":[3,4.5]}';
    const read = await readJsonl(await tmp.write('crlf.jsonl', text));
    expect(read.ids).toEqual([1, 2]);
    expect(Array.from(read.data)).toEqual([1, 2, 3, 4.5]);
  });

  it('streams batches whose concatenation equals the whole-file read', async () => {
    await writeJsonl(tmp.path('s.jsonl.gz'), records);
    const batches = await collect(streamJsonl(tmp.path('s.jsonl.gz'), { batchRows: 10 }));
    expect(batches.map((b) => b.n)).toEqual([10, 10, 5]);
    const whole = await readJsonl(tmp.path('s.jsonl.gz'));
    expect(batches.flatMap((b) => b.ids)).toEqual(whole.ids);
    const joined = new Float32Array(25 * 6);
    for (const b of batches) joined.set(b.data, b.firstRow * 6);
    expect(joined).toEqual(whole.data);
  });

  it('refuses to write NaN, which JSON would turn into null', async () => {
    await expect(
      writeJsonl(tmp.path('nan.jsonl'), [{ id: 1, vector: [1, Number.NaN] }]),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('malformed JSONL lines', () => {
  const good = '{"id": 1, "vector": [1, 2, 3]}';
  const expectLineError = async (second: string, message: string) => {
    const file = await tmp.write('bad.jsonl', `${good}\n${second}\n`);
    const error = await expectFileError(() => readJsonl(file), `bad.jsonl at line 2: ${message}`);
    expect(error.position).toEqual({ line: 2 });
  };

  it('names the line of invalid JSON', async () => {
    await expectLineError('{"id": 2, "vector": [1, 2, 3]', 'invalid JSON (');
  });

  it('rejects a line that is not an object', async () => {
    await expectLineError('[1, 2, 3]', 'found an array; expected a JSON object with "id" and "vector"');
  });

  it('rejects a missing vector', async () => {
    await expectLineError('{"id": 2}', '"vector" is missing; expected an array of 3 numbers');
  });

  it('rejects a vector that is not an array', async () => {
    await expectLineError(
      '{"id": 2, "vector": "1,2,3"}',
      '"vector" is the string "1,2,3"; expected an array of 3 numbers',
    );
  });

  it('rejects a non-number element and says which', async () => {
    await expectLineError(
      '{"id": 2, "vector": [1, "2", 3]}',
      'vector[1] is the string "2"; expected a finite number',
    );
  });

  it('rejects null, which is how JSON.stringify writes NaN', async () => {
    await expectLineError(
      '{"id": 2, "vector": [1, null, 3]}',
      'vector[1] is null; expected a finite number (NaN and Infinity are not allowed)',
    );
  });

  it('rejects a bare NaN token with a clearer message than the JSON parser', async () => {
    await expectLineError(
      '{"id": 2, "vector": [1, NaN, 3]}',
      'line contains NaN or Infinity, which JSON cannot represent',
    );
  });

  it('rejects a value outside float32 range', async () => {
    await expectLineError(
      '{"id": 2, "vector": [1, 1e39, 3]}',
      'vector[1] is 1e+39; expected a number within float32 range',
    );
  });

  it('rejects a dimension that differs from line 1', async () => {
    await expectLineError(
      '{"id": 2, "vector": [1, 2]}',
      '"vector" has 2 values; expected 3, the dimension of line 1',
    );
  });

  it('rejects an empty vector', async () => {
    await expectLineError('{"id": 2, "vector": []}', '"vector" is empty');
  });

  it('rejects a missing id', async () => {
    await expectLineError(
      '{"vector": [1, 2, 3]}',
      '"id" is missing; expected a non-empty string or a non-negative integer',
    );
  });

  it('rejects an id of the wrong kind', async () => {
    await expectLineError(
      '{"id": 2.5, "vector": [1, 2, 3]}',
      '"id" is 2.5; expected a non-empty string or a non-negative integer',
    );
  });

  it('rejects a duplicate id and names the first line', async () => {
    await expectLineError(
      '{"id": "1", "vector": [1, 2, 3]}',
      'id "1" already appears on line 1; expected unique ids',
    );
  });

  it('rejects attributes that are not an object', async () => {
    await expectLineError(
      '{"id": 2, "vector": [1, 2, 3], "attributes": [1]}',
      '"attributes" is an array; expected a JSON object',
    );
  });

  it('rejects a file with no records', async () => {
    const file = await tmp.write('empty.jsonl', '\n\n');
    await expectFileError(() => readJsonl(file), 'empty.jsonl at line 2: file has no records');
  });

  it('rejects a truncated gzip stream', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ id: i, vector: [i, 1, 2] }));
    const gz = gzipSync(lines.join('\n'));
    const file = await tmp.write('cut.jsonl.gz', gz.subarray(0, gz.length - 8));
    await expectFileError(() => readJsonl(file), 'gzip data ends early');
  });

  it('reports the right line number across stream chunks', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ id: i, vector: pattern(1, 8) }));
    lines[4321] = '{"id": 4321, "vector": [1]}';
    const file = await tmp.write('long.jsonl', lines.join('\n'));
    await expectFileError(
      () => collect(streamJsonl(file, { batchRows: 64 })),
      'long.jsonl at line 4322: "vector" has 1 values; expected 8',
    );
  });
});
