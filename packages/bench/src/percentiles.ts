/** Latency summary of a sample, in ms. */
export interface LatencySummaryMs {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentile (p in 0..100) of an unsorted sample; NaN for an empty sample. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function summarizeLatencies(valuesMs: readonly number[]): LatencySummaryMs {
  return {
    count: valuesMs.length,
    mean: valuesMs.reduce((s, v) => s + v, 0) / Math.max(1, valuesMs.length),
    p50: percentile(valuesMs, 50),
    p95: percentile(valuesMs, 95),
    p99: percentile(valuesMs, 99),
    max: valuesMs.length === 0 ? Number.NaN : Math.max(...valuesMs),
  };
}
