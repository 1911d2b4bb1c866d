import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SquashClient } from '@squash/client';
import { processorFor } from '@squash/query-service';
import { buildSampleIndex, type SquashServer, startSquashServer } from '@squash/serve';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMnistNpm } from '../support/datasets.ts';
import { runHttpApiSuite } from './http-api-suite.ts';

/**
 * `squash serve` on the quick-start index (filesystem store): the shared HTTP suite, then the
 * failure semantics only the local runtime can provoke (a processor crashing or timing out).
 */
let server: SquashServer | undefined;
let dir = '';
let sampleVector: number[] = [];
const data = await loadMnistNpm();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'squash-serve-'));
  const sample = await buildSampleIndex(join(dir, 'mnist'));
  sampleVector = sample.sampleQuery.vector;
  server = await startSquashServer({
    indexes: [sample.dir],
    port: 0,
    timeoutMs: 4000,
    bundleDir: join(dir, 'bundles'),
  });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

runHttpApiSuite({
  baseUrl: () => server!.url,
  client: () => new SquashClient({ url: server!.url, maxRetries: 0 }),
  indexName: 'mnist',
  data: () => ({ base: data.base, labels: data.labels, n: data.n }),
});

describe('squash serve failure semantics', () => {
  const query = (body: unknown) =>
    fetch(`${server!.url}/v1/indexes/mnist/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      // biome-ignore lint/suspicious/noExplicitAny: JSON bodies are checked field by field below
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, any> }));

  /** The processor serving partition 0 of "mnist" (the pool is entered at the index name's hash). */
  const processorOfPartition0 = () => processorFor('mnist', 0, server!.processorFunctions, 1);

  it('names a partition whose processor crashes as missing, then recovers', async () => {
    // topK 1000 with a filter every row passes makes the query visit every partition.
    const everywhere = { vector: sampleVector, topK: 1000, filter: { label: { $gte: 0 } } };
    expect((await query(everywhere)).body.complete).toBe(true);
    server!.runtime.injectFault(processorOfPartition0(), 'crash');
    const broken = await query(everywhere);
    expect(broken.status).toBe(200);
    expect(broken.body.complete).toBe(false);
    expect(broken.body.missingPartitions).toEqual([0]);
    expect(broken.body.matches.length).toBeGreaterThan(0);
    const recovered = await query(everywhere);
    expect(recovered.body.complete).toBe(true);
    expect(recovered.body.matches).toHaveLength(1000);
  });

  it('answers 503 NO_PARTITION_REACHABLE when every partition fails', async () => {
    const everywhere = { vector: sampleVector, topK: 1000, filter: { label: { $gte: 0 } } };
    for (const name of server!.processorFunctions) server!.runtime.injectFault(name, 'crash');
    const response = await query(everywhere);
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('NO_PARTITION_REACHABLE');
    expect((await query(everywhere)).body.complete).toBe(true);
  });

  it('retries a processor that times out once and answers completely', async () => {
    const name = server!.processorFunctions[0]!;
    server!.runtime.injectFault(name, 'hang');
    const response = await query({ vector: sampleVector, topK: 5, filter: { label: { $gte: 0 } } });
    expect(response.status).toBe(200);
    expect(response.body.complete).toBe(true);
  });

  it('reports the partition as missing when its processor times out twice', async () => {
    const name = processorOfPartition0();
    server!.runtime.injectFault(name, 'hang');
    server!.runtime.injectFault(name, 'hang');
    const response = await query({ vector: sampleVector, topK: 1000, filter: { label: { $gte: 0 } } });
    expect(response.status).toBe(200);
    expect(response.body.complete).toBe(false);
    expect(response.body.missingPartitions).toContain(0);
  });
});
