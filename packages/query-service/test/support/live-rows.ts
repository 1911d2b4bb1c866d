import { type AttributeSchema, buildAttributeColumns, ExactIndex, type Metric } from '@squash/core';
import { expect } from 'vitest';
import type { CoordinatorService } from '../../src/coordinator-service.ts';

export interface LiveRow {
  readonly vector: Float32Array;
  readonly attributes: Record<string, unknown>;
  readonly metadata?: Record<string, unknown>;
}

/**
 * The reference model of an index under writes: id -> live row, updated as the test writes, and
 * searched by brute force (core's `ExactIndex`) to give the exact answer over the live rows.
 */
export class LiveRows {
  readonly rows = new Map<string, LiveRow>();

  constructor(
    readonly metric: Metric,
    readonly dim: number,
    readonly schema: AttributeSchema,
  ) {}

  upsert(id: string, row: LiveRow): void {
    this.rows.set(id, row);
  }

  delete(id: string): void {
    this.rows.delete(id);
  }

  /** The exact answer: ids and distances of the topK nearest live rows that pass `filter`. */
  search(query: Float32Array, topK: number, filter?: unknown): { ids: string[]; distances: number[] } {
    const ids = [...this.rows.keys()];
    if (ids.length === 0) return { ids: [], distances: [] };
    const vectors = new Float32Array(ids.length * this.dim);
    ids.forEach((id, i) => {
      vectors.set(this.rows.get(id)!.vector, i * this.dim);
    });
    const columns = buildAttributeColumns(
      ids.map((id) => this.rows.get(id)!.attributes),
      this.schema,
    );
    const exact = new ExactIndex(this.metric, vectors, this.dim, columns);
    const found = exact.search(query, { topK, ...(filter === undefined ? {} : { filter }) });
    return { ids: found.ids.map((i) => ids[i]!), distances: found.distances };
  }

  /** Asserts that the coordinator answers `query` exactly as brute force over the live rows does. */
  async expectExact(
    coordinator: CoordinatorService,
    index: string,
    query: Float32Array,
    topK: number,
    filter?: unknown,
  ): Promise<void> {
    const expected = this.search(query, topK, filter);
    const answer = await coordinator.query(
      index,
      { vector: Array.from(query), topK, ...(filter === undefined ? {} : { filter }) },
      'ryw',
    );
    expect(answer.complete).toBe(true);
    expect(answer.matches.map((m) => m.id)).toEqual(expected.ids);
    answer.matches.forEach((m, k) => {
      expect(m.distance).toBeCloseTo(expected.distances[k]!, 3);
    });
  }
}
