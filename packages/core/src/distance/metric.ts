import { InvalidArgumentError } from '../errors/index.ts';

/**
 * Distance metrics. Every distance squash reports follows one rule: lower is closer.
 * - `l2`: squared Euclidean distance, sum((q - x)^2). Never negative.
 * - `ip`: negative inner product, -(q . x), so that a larger inner product ranks first.
 * - `cosine`: 1 - cos(q, x), in [0, 2]. A zero vector has no direction: its cosine distance to
 *   anything (including another zero vector) is defined as 1, the distance of an orthogonal pair.
 */
export type Metric = 'l2' | 'ip' | 'cosine';

export const METRICS: readonly Metric[] = ['l2', 'ip', 'cosine'];

export function isMetric(value: unknown): value is Metric {
  return value === 'l2' || value === 'ip' || value === 'cosine';
}

export function assertMetric(value: unknown, argument = 'metric'): Metric {
  if (!isMetric(value)) {
    throw new InvalidArgumentError(
      argument,
      `${argument} is ${JSON.stringify(value)}; allowed: ${METRICS.join(', ')}`,
    );
  }
  return value;
}
