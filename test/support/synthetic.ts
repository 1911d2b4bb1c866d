import type { AttributeColumns, AttributeSchema } from '@squash/core';
import { buildAttributeColumns, SeededRandom } from '@squash/core';

export interface SyntheticDataset {
  readonly n: number;
  readonly dim: number;
  readonly base: Float32Array;
  readonly nq: number;
  readonly queries: Float32Array;
  /** Rows with attributes: `label` (integer 0..9), `price` (number, 5% missing), `color` (category), `active` (boolean). */
  readonly rows: Array<Record<string, unknown>>;
  readonly schema: AttributeSchema;
  readonly attributes: AttributeColumns;
}

const COLORS = ['red', 'green', 'blue', 'black', 'white'];

/**
 * Seeded Gaussian blobs: `clusters` centres drawn in [-10, 10]^dim, rows scattered around them with
 * unit variance, queries drawn the same way. Attributes are correlated with nothing, so a filter's
 * matches are spread over every partition.
 */
export function syntheticClusters(options: {
  n: number;
  dim: number;
  nq: number;
  clusters?: number;
  seed?: number;
}): SyntheticDataset {
  const { n, dim, nq } = options;
  const clusters = options.clusters ?? 16;
  const random = new SeededRandom(options.seed ?? 1);
  const centres = Float32Array.from({ length: clusters * dim }, () => random.nextFloat() * 20 - 10);
  const draw = (count: number): Float32Array => {
    const out = new Float32Array(count * dim);
    for (let i = 0; i < count; i++) {
      const c = random.nextInt(clusters);
      for (let j = 0; j < dim; j++) out[i * dim + j] = centres[c * dim + j]! + random.nextGaussian();
    }
    return out;
  };
  const base = draw(n);
  const queries = draw(nq);
  const rows = Array.from({ length: n }, () => ({
    label: random.nextInt(10),
    price: random.nextFloat() < 0.05 ? undefined : Math.round(random.nextFloat() * 100000) / 100,
    color: COLORS[random.nextInt(COLORS.length)],
    active: random.nextFloat() < 0.5,
  }));
  const schema: AttributeSchema = {
    label: { type: 'integer' },
    price: { type: 'number' },
    color: { type: 'category' },
    active: { type: 'boolean' },
  };
  return { n, dim, base, nq, queries, rows, schema, attributes: buildAttributeColumns(rows, schema) };
}
