import { describe, expect, it } from 'vitest';
import { batchWrites, requestBytes, type WriteBatch, type WriteItem } from '../src/write-batches.ts';

async function* itemsOf(values: readonly unknown[]): AsyncGenerator<WriteItem> {
  for (const [i, value] of values.entries()) {
    const id = (value as { id?: unknown }).id;
    yield { line: i + 1, value, id: typeof id === 'string' ? id : undefined, bytes: requestBytes(value) };
  }
}

async function collect(batches: AsyncIterable<WriteBatch>): Promise<WriteBatch[]> {
  const out: WriteBatch[] = [];
  for await (const b of batches) out.push(b);
  return out;
}

describe('batchWrites', () => {
  it('counts the bytes a row adds to the body once JSON-escaped into the event', () => {
    const row = { id: 'a"b', vector: [1, 2] };
    const json = JSON.stringify(row);
    expect(requestBytes(row)).toBe(json.length + JSON.stringify(json).length - 2 - json.length + 1);
    expect(requestBytes('é')).toBe(Buffer.byteLength('"é"') + 2 + 1);
  });

  it('keeps every request within maxBytes, envelope included, and in input order', async () => {
    const values = Array.from({ length: 50 }, (_, i) => ({ id: `id${i}`, vector: Array(i % 7).fill(0.123) }));
    const maxBytes = 400;
    const batches = await collect(batchWrites(itemsOf(values), { maxRows: 1000, maxBytes }));
    expect(batches.flatMap((b) => b.lines)).toEqual(values.map((_, i) => i + 1));
    for (const b of batches) {
      const body = JSON.stringify({ vectors: b.values });
      expect(JSON.stringify(body).length - 2).toBeLessThanOrEqual(maxBytes);
      expect(b.bytes).toBeLessThanOrEqual(maxBytes);
    }
    // Greedy: the next request's first row would not have fitted into the previous one.
    for (let k = 1; k < batches.length; k++) {
      expect(batches[k - 1]!.bytes + requestBytes(batches[k]!.values[0])).toBeGreaterThan(maxBytes);
    }
  });

  it('cuts at maxRows and at a repeated id', async () => {
    const values = ['a', 'b', 'c', 'a', 'd'].map((id) => ({ id }));
    const byRows = await collect(batchWrites(itemsOf(values), { maxRows: 2 }));
    expect(byRows.map((b) => b.lines)).toEqual([[1, 2], [3, 4], [5]]);
    const byId = await collect(batchWrites(itemsOf(values), { maxRows: 10 }));
    expect(byId.map((b) => b.lines)).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('refuses a row larger than a whole request with PAYLOAD_TOO_LARGE and its line', async () => {
    const values = [{ id: 'a' }, { id: 'b', vector: Array(100).fill(1) }];
    await expect(collect(batchWrites(itemsOf(values), { maxRows: 10, maxBytes: 120 }))).rejects.toMatchObject(
      {
        code: 'PAYLOAD_TOO_LARGE',
        line: 2,
      },
    );
  });
});
