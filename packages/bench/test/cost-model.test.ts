import { describe, expect, it } from 'vitest';
import {
  alwaysOnServerCost,
  breakEvenQueriesPerMonth,
  idleDollarsPerMonth,
  type ServerlessCostInputs,
  serverlessCost,
} from '../src/cost-model.ts';
import { AWS_US_EAST_1_PRICES } from '../src/price-table.ts';

const BASE: ServerlessCostInputs = {
  computeMsPerPartitionSearch: 1,
  partitionsPerQuery: 3,
  processorInvocationsPerRequest: 3,
  waitingInvocationsPerRequest: 1,
  queriesPerRequest: 1,
  requestLatencyMs: 20,
  processorMemoryMb: 1024,
  waitingMemoryMb: 1024,
  overheadMsPerInvocation: 2,
};

describe('serverlessCost', () => {
  it('matches a hand-computed example', () => {
    // processors: 3 x 2 ms + 1 ms x 3 partitions = 9 ms at 1 GB; coordinator: 20 ms at 1 GB.
    // 0.029 GB-s x 0.0000133334 + 4 requests x 0.2e-6 + 1e-6 (HTTP API) = 2.18667e-6 $ per query.
    const cost = serverlessCost(BASE);
    expect(cost.breakdown.lambdaDuration).toBeCloseTo(0.029 * 0.0000133334 * 1e6, 9);
    expect(cost.breakdown.lambdaRequests).toBeCloseTo(0.8, 9);
    expect(cost.breakdown.apiGateway).toBeCloseTo(1, 9);
    expect(cost.breakdown.s3Requests).toBe(0);
    expect(cost.dollarsPerMillionQueries).toBeCloseTo(2.1866686, 6);
  });

  it('grows with compute, partitions, latency, memory and the cold-start share', () => {
    const base = serverlessCost(BASE).dollarsPerMillionQueries;
    const bigger: Array<Partial<ServerlessCostInputs>> = [
      { computeMsPerPartitionSearch: 2 },
      { partitionsPerQuery: 6 },
      { requestLatencyMs: 40 },
      { processorMemoryMb: 2048 },
      { coldStartShare: 0.1, coldLoadBytes: 10_000_000 },
      { bytesReadPerQuery: 1_000_000 },
    ];
    for (const change of bigger) {
      expect(serverlessCost({ ...BASE, ...change }).dollarsPerMillionQueries).toBeGreaterThan(base);
    }
  });

  it('amortises requests and waiting time over a batch', () => {
    const single = serverlessCost(BASE).dollarsPerMillionQueries;
    const batch = serverlessCost({
      ...BASE,
      queriesPerRequest: 100,
      requestLatencyMs: 200,
    }).dollarsPerMillionQueries;
    expect(batch).toBeLessThan(single / 5);
  });
});

describe('idleDollarsPerMonth', () => {
  it('charges S3 storage only', () => {
    expect(idleDollarsPerMonth(1e9)).toBeCloseTo(0.023, 9);
    expect(idleDollarsPerMonth(2e9)).toBeGreaterThan(idleDollarsPerMonth(1e9));
  });
});

describe('alwaysOnServerCost', () => {
  it('picks the cheapest instance whose RAM holds the index with 1.5x headroom', () => {
    // 10 GiB x 1.5 = 15 GiB -> r6g.large (16 GiB, $0.1008/h): $73.584 per month.
    const server = alwaysOnServerCost({ indexBytes: 10 * 2 ** 30, qps: 10 });
    expect(server.instance.type).toBe('r6g.large');
    expect(server.count).toBe(1);
    expect(server.dollarsPerMonth).toBeCloseTo(73.584, 6);
    // 10 qps x 730 h x 3600 s = 26.28 million queries per month.
    expect(server.dollarsPerMillionQueries).toBeCloseTo(73.584 / 26.28, 6);
  });

  it('shards over the largest instance when the index does not fit one', () => {
    const largest = Math.max(...AWS_US_EAST_1_PRICES.instances.map((i) => i.memoryGib));
    const server = alwaysOnServerCost({ indexBytes: 3 * largest * 2 ** 30, qps: 1 });
    expect(server.instance.memoryGib).toBe(largest);
    expect(server.count).toBe(Math.ceil(4.5));
  });

  it('costs less per query as the load grows, and adds replicas when CPU runs out', () => {
    const low = alwaysOnServerCost({ indexBytes: 2 ** 30, qps: 1 });
    const high = alwaysOnServerCost({ indexBytes: 2 ** 30, qps: 100 });
    expect(high.dollarsPerMillionQueries).toBeLessThan(low.dollarsPerMillionQueries);
    const busy = alwaysOnServerCost({ indexBytes: 2 ** 30, qps: 1000, qpsPerVcpu: 100 });
    expect(busy.count).toBeGreaterThan(1);
  });
});

describe('breakEvenQueriesPerMonth', () => {
  it('is where a month of the server equals the serverless bill', () => {
    expect(breakEvenQueriesPerMonth(100, 2)).toBe(50_000_000);
  });
});
