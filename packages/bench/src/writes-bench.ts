/**
 * `npm run bench:writes`: writes through `squash serve --store` (issue 14), on 127.0.0.1 only,
 * bounded in size (about 3 minutes on 2 cores). Run it alone on the machine.
 *
 * 1. Upsert throughput: vectors/s of 128 dimensions in requests of 1,000 rows, `--writers`
 *    concurrent clients (default 2), through the HTTP API on the filesystem store and on S3
 *    (moto_server, when installed: it honours the conditional PUTs that order the log; s3rver
 *    does not, so concurrent writers there could overwrite each other's entries).
 * 2. Query latency with a tail: p50/p95 of unfiltered top-10 queries on a 60,000-row built index,
 *    with no tail, then with a 20,000-row unindexed tail (read-your-writes: each query lists the
 *    log and searches the tail exactly).
 * 3. Compaction: the compactor function on the local runtime folds those 20,000 rows into the
 *    60,000-row index (timed end to end), then the query latency again.
 *
 * Options: `--base 60000 --tail 20000 --dim 128 --queries 200 --requests 40 --writers 2`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { SquashClient } from '@squash/client';
import { type CompactRequest, ENV, FUNCTION_NAMES, type UpsertRow } from '@squash/contracts';
import { buildIndex, SeededRandom } from '@squash/core';
import { publishIndex, registerIndex } from '@squash/index-format';
import { startSquashServer } from '@squash/serve';
import { createS3Client, FilesystemBlobStore } from '@squash/storage';
import { findMotoServer, startMotoServer } from '@squash/testkit';
import { percentile } from './percentiles.ts';
import { readYourWritesDollarsPerMillionQueries, writeCost } from './write-cost-model.ts';

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: '60000' },
    tail: { type: 'string', default: '20000' },
    dim: { type: 'string', default: '128' },
    queries: { type: 'string', default: '200' },
    requests: { type: 'string', default: '40' },
    writers: { type: 'string', default: '2' },
  },
});
const BASE = Number(values.base);
const TAIL = Number(values.tail);
const DIM = Number(values.dim);
const QUERIES = Number(values.queries);
const REQUESTS = Number(values.requests);
const WRITERS = Number(values.writers);
const ROWS_PER_REQUEST = 1000;
const log = (line: string): void => console.error(`[bench:writes] ${line}`);

const random = new SeededRandom(20261204);
const CLUSTERS = 64;
const centres = Float32Array.from({ length: CLUSTERS * DIM }, () => random.nextFloat() * 20 - 10);
function draw(n: number): Float32Array {
  const out = new Float32Array(n * DIM);
  for (let i = 0; i < n; i++) {
    const c = random.nextInt(CLUSTERS);
    for (let j = 0; j < DIM; j++) out[i * DIM + j] = centres[c * DIM + j]! + random.nextGaussian();
  }
  return out;
}
function rows(prefix: string, data: Float32Array, from: number, to: number): UpsertRow[] {
  const out: UpsertRow[] = [];
  for (let i = from; i < to; i++) {
    out.push({ id: `${prefix}${i}`, vector: Array.from(data.subarray(i * DIM, (i + 1) * DIM)) });
  }
  return out;
}

/** Rows/s of `requests` upserts of 1,000 rows by `WRITERS` concurrent clients. */
async function upsertThroughput(
  client: SquashClient,
  index: string,
): Promise<{ rowsPerS: number; msPerRequest: number }> {
  await client.createIndex(index, { dim: DIM, metric: 'l2' });
  const data = draw(ROWS_PER_REQUEST * 4);
  const bodies = Array.from({ length: 4 }, (_, b) =>
    rows('x', data, b * ROWS_PER_REQUEST, (b + 1) * ROWS_PER_REQUEST),
  );
  // Warm: the first request to each coordinator worker is a cold start.
  await Promise.all(
    Array.from({ length: WRITERS }, (_, w) =>
      client.upsert(index, { vectors: bodies[w % 4]!.map((row) => ({ ...row, id: `warm-${row.id}` })) }),
    ),
  );
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (let r = next++; r < REQUESTS; r = next++) {
        const body = bodies[r % 4]!.map((row) => ({ ...row, id: `${r}-${row.id}` }));
        const t = performance.now();
        await client.upsert(index, { vectors: body });
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { rowsPerS: (REQUESTS * ROWS_PER_REQUEST) / seconds, msPerRequest: percentile(latencies, 50) };
}

async function queryLatency(
  client: SquashClient,
  index: string,
  queries: Float32Array,
): Promise<{ p50: number; p95: number }> {
  const latencies: number[] = [];
  for (let q = 0; q < queries.length / DIM; q++) {
    const vector = Array.from(queries.subarray(q * DIM, (q + 1) * DIM));
    const t = performance.now();
    const answer = await client.query(index, { vector, topK: 10 });
    latencies.push(performance.now() - t);
    if (answer.matches.length !== 10) throw new Error(`query ${q} answered ${answer.matches.length} matches`);
  }
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'squash-bench-writes-'));
  const root = join(dir, 'store');
  const results: Record<string, unknown> = { base: BASE, tail: TAIL, dim: DIM, writers: WRITERS };
  try {
    // The base index, built and registered as `squash build --out <root>/base` does.
    let t = performance.now();
    const baseData = draw(BASE);
    const index = buildIndex(baseData, BASE, DIM, { metric: 'l2' });
    await publishIndex(new FilesystemBlobStore({ rootDir: join(root, 'base') }), index, {
      name: 'base',
      ids: Array.from({ length: BASE }, (_, i) => `b${i}`),
    });
    await registerIndex(new FilesystemBlobStore({ rootDir: root }), {
      name: 'base',
      dim: DIM,
      metric: 'l2',
      schema: {},
      createdAt: new Date().toISOString(),
    });
    log(`built the ${BASE} x ${DIM} base in ${Math.round(performance.now() - t)} ms`);

    // No automatic compaction while the tail's query cost is measured: it is started by hand below.
    const server = await startSquashServer({
      store: root,
      port: 0,
      bundleDir: join(dir, 'bundles'),
      env: { [ENV.compactionTailRows]: '10000000' },
    });
    try {
      const client = new SquashClient({ url: server.url, timeoutMs: 120_000 });
      const fsUpserts = await upsertThroughput(client, 'upserts');
      results.upsertFs = fsUpserts;
      log(
        `upserts, filesystem store: ${Math.round(fsUpserts.rowsPerS)} vectors/s (p50 ${fsUpserts.msPerRequest.toFixed(0)} ms per request of 1,000)`,
      );

      const queries = draw(QUERIES);
      await queryLatency(client, 'base', queries); // warm: processors load their partitions
      const noTail = await queryLatency(client, 'base', queries);
      log(`queries, no tail: p50 ${noTail.p50.toFixed(1)} ms, p95 ${noTail.p95.toFixed(1)} ms`);
      const tailData = draw(TAIL);
      t = performance.now();
      for (let i = 0; i < TAIL; i += ROWS_PER_REQUEST) {
        await client.upsert('base', {
          vectors: rows('t', tailData, i, Math.min(TAIL, i + ROWS_PER_REQUEST)),
        });
      }
      log(`appended a ${TAIL}-row tail in ${Math.round(performance.now() - t)} ms`);
      await queryLatency(client, 'base', queries.subarray(0, DIM * 5));
      const withTail = await queryLatency(client, 'base', queries);
      log(
        `queries, ${TAIL}-row tail: p50 ${withTail.p50.toFixed(1)} ms, p95 ${withTail.p95.toFixed(1)} ms (${(withTail.p50 / noTail.p50).toFixed(2)}x)`,
      );

      t = performance.now();
      const request: CompactRequest = { kind: 'compact', index: 'base', indexUri: join(root, 'base') };
      const response = await fetch(
        `${server.runtimeUrl}/2015-03-31/functions/${FUNCTION_NAMES.compactor}/invocations`,
        {
          method: 'POST',
          body: JSON.stringify(request),
        },
      );
      const report = (await response.json()) as Record<string, unknown>;
      const compactionMs = performance.now() - t;
      log(`compaction (${String(report.mode)}): ${Math.round(compactionMs)} ms; ${JSON.stringify(report)}`);
      await queryLatency(client, 'base', queries.subarray(0, DIM * 5));
      const afterCompaction = await queryLatency(client, 'base', queries);
      log(
        `queries after compaction: p50 ${afterCompaction.p50.toFixed(1)} ms, p95 ${afterCompaction.p95.toFixed(1)} ms`,
      );
      Object.assign(results, {
        noTail,
        withTail,
        ratio: withTail.p50 / noTail.p50,
        compactionMs,
        compaction: report,
        afterCompaction,
      });
      results.cost = {
        writes: writeCost({
          rowsPerRequest: ROWS_PER_REQUEST,
          coordinatorMsPerRequest: fsUpserts.msPerRequest,
          rowsPerCompaction: TAIL,
          compactionMs,
          compactionInvocations: 1 + Number((report.partitionsRewritten as number | undefined) ?? 0),
          compactionGets:
            10 * Number((report.partitionsRewritten as number | undefined) ?? 1) + TAIL / ROWS_PER_REQUEST,
          compactionPuts: 12 * Number(index.parts.partitions.length) + 3,
        }),
        readYourWrites: readYourWritesDollarsPerMillionQueries({
          tailSearchMs: Math.max(0, withTail.p50 - noTail.p50),
        }),
      };
    } finally {
      await server.stop();
    }

    if (findMotoServer() !== undefined) {
      const moto = await startMotoServer();
      try {
        const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
        await createS3Client({ endpoint: moto.url, region: 'us-east-1', credentials }).send(
          new CreateBucketCommand({ Bucket: 'bench' }),
        );
        const s3Server = await startSquashServer({
          store: 's3://bench/root',
          port: 0,
          bundleDir: join(dir, 'bundles'),
          env: {
            AWS_ENDPOINT_URL_S3: moto.url,
            AWS_ACCESS_KEY_ID: credentials.accessKeyId,
            AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          },
        });
        try {
          const s3Upserts = await upsertThroughput(
            new SquashClient({ url: s3Server.url, timeoutMs: 120_000 }),
            'upserts',
          );
          results.upsertS3 = s3Upserts;
          log(
            `upserts, S3 (moto): ${Math.round(s3Upserts.rowsPerS)} vectors/s (p50 ${s3Upserts.msPerRequest.toFixed(0)} ms per request)`,
          );
        } finally {
          await s3Server.stop();
        }
      } finally {
        await moto.stop();
      }
    } else {
      log('moto_server not found: the S3 upsert figure is skipped');
    }
    console.log(JSON.stringify(results, null, 2));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
