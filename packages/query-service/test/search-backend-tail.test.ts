import { type AttributeColumns, resolveSearchParameters } from '@squash/core';
import { afterAll, expect } from 'vitest';
import { runSearchBackendSuite } from '../../core/test/search-backend-suite.ts';
import { attributesOfRow } from '../src/attribute-values.ts';
import { type WritableTree, writableTree } from './support/writable-tree.ts';

// The shared search suite on indexes written through the write service: one whose rows are all
// in the log's tail (searched exactly), and one whose first half is a built base and whose
// second half is the tail (the base searched with the default parameters, merged with the tail).
const trees: WritableTree[] = [];
afterAll(async () => {
  for (const tree of trees) await tree.close();
});

let names = 0;

async function writeRows(
  tree: WritableTree,
  name: string,
  vectors: Float32Array,
  dim: number,
  attributes: AttributeColumns,
  from: number,
  to: number,
): Promise<void> {
  for (let start = from; start < to; start += 1000) {
    const end = Math.min(to, start + 1000);
    const rows = Array.from({ length: end - start }, (_, k) => {
      const i = start + k;
      return {
        id: String(i),
        vector: Array.from(vectors.subarray(i * dim, (i + 1) * dim)),
        attributes: attributesOfRow(attributes, i),
      };
    });
    await tree.writes.upsert(name, { vectors: rows });
  }
}

function backendOf(tree: WritableTree, name: string) {
  return {
    search: async (query: Float32Array, options: { topK?: number; filter?: unknown }) => {
      const answer = await tree.coordinator.query(
        name,
        { vector: Array.from(query), topK: options.topK ?? 10, filter: options.filter },
        'suite',
      );
      expect(answer.complete).toBe(true);
      return {
        ids: answer.matches.map((m) => Number(m.id)),
        distances: answer.matches.map((m) => m.distance),
      };
    },
  };
}

runSearchBackendSuite(
  'coordinator over an index whose rows are all in the write log',
  {
    build: async (vectors, n, dim, metric, attributes) => {
      const tree = await writableTree();
      trees.push(tree);
      const name = `tail-${names++}`;
      await tree.writes.createIndex(name, { dim, metric, schema: attributes.schema });
      await writeRows(tree, name, vectors, dim, attributes, 0, n);
      return backendOf(tree, name);
    },
  },
  1,
);

runSearchBackendSuite(
  'coordinator over a built base plus rows in the write log',
  {
    build: async (vectors, n, dim, metric, attributes) => {
      const tree = await writableTree({ parameters: resolveSearchParameters() });
      trees.push(tree);
      const name = `mixed-${names++}`;
      const half = n >= 16 ? Math.floor(n / 2) : 0;
      if (half === 0) {
        await tree.writes.createIndex(name, { dim, metric, schema: attributes.schema });
      } else {
        const rows = Array.from({ length: half }, (_, i) => attributesOfRow(attributes, i));
        await tree.build(name, vectors.slice(0, half * dim), dim, {
          metric,
          schema: attributes.schema,
          rows,
          partitions: Math.max(1, Math.min(6, Math.floor(half / 8))),
        });
      }
      await writeRows(tree, name, vectors, dim, attributes, half, n);
      return backendOf(tree, name);
    },
  },
  0.95,
);
