import { SquashApiError, type SquashClient } from '@squash/client';
import { buildAttributeColumns, ExactIndex, SeededRandom } from '@squash/core';
import { describe, expect, it } from 'vitest';

/**
 * The writes half of the end-to-end HTTP suite (issue 14), through the typed client, for every
 * back end that serves a writable store root: create an index at run time, upsert, replace,
 * delete, fetch, and query it with read-your-writes, checked against brute force over the live
 * rows (ids and distances), filtered and unfiltered, before and after a compaction.
 */
export interface HttpWritesSuiteOptions {
  /** Resolved lazily, so a back end can start in `beforeAll`. */
  readonly client: () => SquashClient;
  /** A fresh index name per run (back ends may share a store). */
  readonly indexName: string;
  /**
   * Folds the index's log into a new version (the compactor, run by hand). Absent: the suite
   * checks read-your-writes over the log only.
   */
  readonly compact?: (indexName: string) => Promise<void>;
}

const DIM = 16;
const SCHEMA = { color: { type: 'category' }, size: { type: 'integer' } } as const;
const COLORS = ['red', 'green', 'blue'];

interface Row {
  id: string;
  vector: number[];
  attributes: { color: string; size: number };
  metadata: { note: string };
}

/** A row's cluster: its id's number (`r17` -> 17), or the sum of its characters' codes. */
function clusterOf(id: string): number {
  const digits = /\d+$/.exec(id);
  return digits === null ? [...id].reduce((sum, c) => sum + c.charCodeAt(0), 0) : Number(digits[0]);
}

export function runHttpWritesSuite(options: HttpWritesSuiteOptions): void {
  const name = options.indexName;
  const seeded = new SeededRandom(20261204);
  const random = () => seeded.nextFloat();
  const live = new Map<string, Row>();
  const newRow = (id: string): Row => ({
    id,
    // Four clusters, so partitions (after a compaction) are meaningful.
    vector: Array.from({ length: DIM }, (_, d) => (clusterOf(id) % 4) * 3 + d * 0.01 + random()),
    attributes: { color: COLORS[Math.floor(random() * 3)]!, size: Math.floor(random() * 10) },
    metadata: { note: `row ${id}` },
  });
  const client = () => options.client();

  /** Brute force over the live rows: ids and distances of the topK nearest that pass `filter`. */
  const bruteForce = (vector: number[], topK: number, filter?: unknown) => {
    const rows = [...live.values()];
    const exact = new ExactIndex(
      'l2',
      Float32Array.from(rows.flatMap((r) => r.vector)),
      DIM,
      buildAttributeColumns(
        rows.map((r) => r.attributes),
        SCHEMA,
      ),
    );
    const answer = exact.search(Float32Array.from(vector), {
      topK,
      ...(filter === undefined ? {} : { filter }),
    });
    return answer.ids.map((row, i) => ({ id: rows[row]!.id, distance: answer.distances[i]! }));
  };

  const expectExact = async (filter?: unknown) => {
    for (let q = 0; q < 6; q++) {
      const vector = newRow(`q${q}`).vector;
      const truth = bruteForce(vector, 10, filter);
      const answer = await client().query(name, {
        vector,
        topK: 10,
        ...(filter === undefined ? {} : { filter }),
      });
      expect(answer.complete).toBe(true);
      expect(answer.matches.map((m) => m.id)).toEqual(truth.map((t) => t.id));
      answer.matches.forEach((m, i) => {
        expect(m.distance).toBeCloseTo(truth[i]!.distance, 3);
      });
    }
  };

  const upsert = async (rows: Row[]) => {
    const answer = await client().upsert(name, { vectors: rows });
    expect(answer.upserted).toBe(rows.length);
    for (const row of rows) live.set(row.id, row);
    return answer.sequence;
  };

  const errorCode = async (promise: Promise<unknown>): Promise<string> => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof SquashApiError) return error.code;
      throw error;
    }
    return 'no error';
  };

  describe('HTTP API: writes', () => {
    it('creates an index at run time, idempotently, and refuses a different definition', async () => {
      const created = await client().createIndex(name, { dim: DIM, metric: 'l2', schema: SCHEMA });
      expect(created.created).toBe(true);
      const again = await client().createIndex(name, { dim: DIM, metric: 'l2', schema: SCHEMA });
      expect(again.created).toBe(false);
      expect(
        await errorCode(client().createIndex(name, { dim: DIM + 1, metric: 'l2', schema: SCHEMA })),
      ).toBe('INDEX_EXISTS');
      expect(await client().listIndexes()).toContain(name);
      expect(await client().describeIndex(name)).toMatchObject({ name, dim: DIM, metric: 'l2', count: 0 });
    });

    it('answers an empty index with no matches', async () => {
      const answer = await client().query(name, { vector: newRow('x0').vector, topK: 5 });
      expect(answer.matches).toEqual([]);
    });

    it('sees every acknowledged upsert in the next query (read-your-writes), exactly', async () => {
      let previous = 0;
      for (let chunk = 0; chunk < 3; chunk++) {
        const rows = Array.from({ length: 500 }, (_, i) => newRow(`r${chunk * 500 + i}`));
        const sequence = await upsert(rows);
        expect(sequence).toBeGreaterThan(previous);
        previous = sequence;
      }
      expect((await client().describeIndex(name)).count).toBe(1500);
      await expectExact();
      await expectExact({ color: 'red' });
      await expectExact({ size: { $lt: 3 } });
    });

    it('replaces rows by id and masks deleted ones, in queries and fetches', async () => {
      const replaced = Array.from({ length: 60 }, (_, i) => newRow(`r${i * 7}`));
      await upsert(replaced);
      const gone = Array.from({ length: 40 }, (_, i) => `r${i * 11 + 1}`).filter(
        (id) => !replaced.some((r) => r.id === id),
      );
      const deleted = await client().deleteVectors(name, { ids: gone });
      expect(deleted.deleted).toBe(gone.length);
      for (const id of gone) live.delete(id);
      await expectExact();
      await expectExact({ color: { $in: ['green', 'blue'] } });
      const fetched = await client().fetchVectors(name, {
        ids: [replaced[0]!.id, gone[0]!, 'never-written'],
        include: ['attributes', 'metadata', 'vector'],
      });
      expect(fetched.vectors.map((v) => v.id)).toEqual([replaced[0]!.id]);
      expect(fetched.vectors[0]!.attributes).toEqual(replaced[0]!.attributes);
      expect(fetched.vectors[0]!.metadata).toEqual(replaced[0]!.metadata);
      fetched.vectors[0]!.vector!.forEach((v, d) => {
        expect(v).toBeCloseTo(replaced[0]!.vector[d]!, 5);
      });
    });

    it('returns metadata and vectors with matches when asked', async () => {
      const vector = newRow('q9').vector;
      const answer = await client().query(name, {
        vector,
        topK: 3,
        include: ['metadata', 'vector', 'attributes'],
      });
      for (const match of answer.matches) {
        const row = live.get(match.id)!;
        expect(match.metadata).toEqual(row.metadata);
        expect(match.attributes).toEqual(row.attributes);
        expect(match.vector).toHaveLength(DIM);
      }
    });

    it('refuses each bad write with its code and applies none of the request', async () => {
      const good = newRow('bad-0');
      const cases: Array<[string, unknown[]]> = [
        ['DIMENSION_MISMATCH', [good, { ...newRow('bad-1'), vector: [1, 2, 3] }]],
        ['DUPLICATE_ID', [good, { ...newRow('bad-2'), id: good.id }]],
        ['INVALID_ATTRIBUTE', [good, { ...newRow('bad-3'), attributes: { shape: 'round' } }]],
        ['INVALID_ATTRIBUTE', [good, { ...newRow('bad-4'), attributes: { size: 'large' } }]],
        ['METADATA_TOO_LARGE', [good, { ...newRow('bad-5'), metadata: { blob: 'x'.repeat(41 * 1024) } }]],
        ['INVALID_ID', [good, { ...newRow('bad-6'), id: '' }]],
      ];
      const before = (await client().describeIndex(name)).count;
      for (const [code, vectors] of cases) {
        // biome-ignore lint/suspicious/noExplicitAny: deliberately malformed rows
        expect(await errorCode(client().upsert(name, { vectors: vectors as any }))).toBe(code);
      }
      expect((await client().describeIndex(name)).count).toBe(before);
      const fetched = await client().fetchVectors(name, { ids: [good.id] });
      expect(fetched.vectors).toEqual([]);
    });

    it.runIf(options.compact !== undefined)(
      'answers exactly the same after a compaction folds the log into a version',
      async () => {
        await options.compact!(name);
        await expectExact();
        await expectExact({ color: 'red' });
        // Writes after the compaction are seen on top of the new version.
        await upsert(Array.from({ length: 50 }, (_, i) => newRow(`s${i}`)));
        await client().deleteVectors(name, { ids: ['r2', 'r3'] });
        live.delete('r2');
        live.delete('r3');
        await expectExact();
        await expectExact({ size: { $gte: 5 } });
      },
      120_000,
    );

    it('deletes the index', async () => {
      await client().deleteIndex(name);
      expect(await client().listIndexes()).not.toContain(name);
      expect(await errorCode(client().describeIndex(name))).toBe('INDEX_NOT_FOUND');
    });
  });
}
