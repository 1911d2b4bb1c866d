import { describe, expect, it } from 'vitest';
import { AWS_US_EAST_1_PRICES } from '../src/price-table.ts';
import {
  readYourWritesDollarsPerMillionQueries,
  type WriteCostInputs,
  writeCost,
} from '../src/write-cost-model.ts';

const BASE: WriteCostInputs = {
  rowsPerRequest: 1000,
  coordinatorMsPerRequest: 100,
  coordinatorMemoryMb: 1024,
  rowsPerCompaction: 20_000,
  compactionMs: 30_000,
  compactorMemoryMb: 1024,
  compactionInvocations: 10,
  compactionGets: 100,
  compactionPuts: 200,
};

describe('writeCost', () => {
  it('matches a hand-computed example', () => {
    // 1,000 requests per million rows: API 1000 x 1e-6 = $0.001; Lambda requests 1000 x 0.2e-6
    // + 50 compactions x 10 x 0.2e-6 = $0.0003; duration 1000 x 0.1 GB-s + 50 x 30 GB-s = 1600
    // GB-s x 0.0000133334 = $0.02133344; S3 1000 x 2 x 5e-6 + 50 x (100 x 4e-7 + 200 x 5e-6) = $0.062.
    const cost = writeCost(BASE);
    expect(cost.breakdown.apiGateway).toBeCloseTo(0.001, 9);
    expect(cost.breakdown.lambdaRequests).toBeCloseTo(0.0003, 9);
    expect(cost.breakdown.lambdaDuration).toBeCloseTo(1600 * 0.0000133334, 9);
    expect(cost.breakdown.s3Requests).toBeCloseTo(0.01 + 50 * (100 * 4e-7 + 200 * 5e-6), 9);
    expect(cost.dollarsPerMillionRows).toBeCloseTo(0.001 + 0.0003 + 1600 * 0.0000133334 + 0.062, 9);
  });

  it('costs more per row with smaller requests, lost races and smaller compactions', () => {
    const base = writeCost(BASE).dollarsPerMillionRows;
    expect(writeCost({ ...BASE, rowsPerRequest: 10 }).dollarsPerMillionRows).toBeGreaterThan(base);
    expect(writeCost({ ...BASE, retriesPerRequest: 2 }).dollarsPerMillionRows).toBeGreaterThan(base);
    expect(writeCost({ ...BASE, rowsPerCompaction: 1000 }).dollarsPerMillionRows).toBeGreaterThan(base);
  });

  it('reports the compaction share as part of the total', () => {
    const cost = writeCost(BASE);
    expect(cost.breakdown.compaction).toBeGreaterThan(0);
    expect(cost.breakdown.compaction).toBeLessThan(cost.dollarsPerMillionRows);
  });
});

describe('readYourWritesDollarsPerMillionQueries', () => {
  it('is one S3 LIST per query plus the tail search time', () => {
    const cost = readYourWritesDollarsPerMillionQueries({ tailSearchMs: 10, coordinatorMemoryMb: 1024 });
    expect(cost.list).toBeCloseTo(AWS_US_EAST_1_PRICES.s3PutDollarsPer1000 * 1000, 9);
    expect(cost.tailSearch).toBeCloseTo(0.01 * 0.0000133334 * 1e6, 9);
    expect(cost.total).toBeCloseTo(cost.list + cost.tailSearch + cost.gets, 9);
  });

  it('drops the LIST when bounded staleness is chosen', () => {
    const cost = readYourWritesDollarsPerMillionQueries({ tailSearchMs: 10, readYourWrites: false });
    expect(cost.list).toBe(0);
    expect(cost.total).toBeCloseTo(cost.tailSearch, 12);
  });
});
