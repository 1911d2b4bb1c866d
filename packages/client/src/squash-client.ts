import {
  API_ROUTES,
  type ApiErrorCode,
  type BatchQueryRequest,
  type BatchQueryResponse,
  type CreateIndexRequest,
  type CreateIndexResponse,
  type DeleteIndexResponse,
  type DeleteVectorsRequest,
  type DeleteVectorsResponse,
  type ErrorBody,
  type FetchRequest,
  type FetchResponse,
  type IndexSummary,
  isApiErrorCode,
  type QueryRequest,
  type QueryResponse,
  type RouteId,
  type UpsertRequest,
  type UpsertResponse,
} from '@squash/contracts';
import { SquashApiError } from './client-error.ts';
import { retryDelayMs } from './retry-after.ts';
import { type AwsCredentials, type CredentialProvider, signRequest } from './sign-request.ts';

/** How requests are authorised; the deployed stack uses IAM by default. */
export type ClientAuth =
  | { readonly type: 'none' }
  /** The stack's API-key scheme (and `squash serve --api-key`): an `x-api-key` header. */
  | { readonly type: 'apiKey'; readonly apiKey: string }
  /**
   * SigV4 for API Gateway IAM auth. Credentials default to the AWS SDK's provider chain
   * (environment, shared config, SSO, instance or task role).
   */
  | {
      readonly type: 'iam';
      readonly region: string;
      readonly credentials?: AwsCredentials | CredentialProvider;
    };

export interface SquashClientOptions {
  /** Base URL of the API: the stack's `ApiUrl`, or `http://127.0.0.1:8080` for `squash serve`. */
  readonly url: string;
  /** @default { type: 'none' } */
  readonly auth?: ClientAuth;
  /**
   * Retries after a 429, a 503 or a network failure. Safe for every route: queries and fetches
   * read; an upsert or delete repeated leaves the same rows (ids are replaced, not duplicated), and
   * creating an existing index with the same definition answers 200. @default 3
   */
  readonly maxRetries?: number;
  /** First backoff when the server sends no `Retry-After`; doubles per retry, with jitter. @default 200 */
  readonly baseDelayMs?: number;
  /** Longest wait between two attempts, `Retry-After` included. @default 10000 */
  readonly maxDelayMs?: number;
  /** Time limit of one attempt. @default 30000 */
  readonly timeoutMs?: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

const ROUTE_BY_ID = new Map(API_ROUTES.map((route) => [route.id, route]));

/**
 * A typed client of the squash HTTP API (docs/http-api.md): one method per route of the
 * contracts' route table. Fetch-based; the only dependencies are the AWS SDK's signer and
 * credential chain, loaded when IAM auth is used.
 *
 * Every method resolves with the API's answer or rejects with `SquashApiError` carrying the API's
 * error code. 429 and 503 are retried up to `maxRetries` times, waiting what `Retry-After` says.
 */
export class SquashClient {
  private readonly base: URL;
  private readonly fetchFn: typeof fetch;
  private credentials: CredentialProvider | AwsCredentials | undefined;

  constructor(private readonly options: SquashClientOptions) {
    this.base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
    this.fetchFn = options.fetch ?? globalThis.fetch;
  }

  health(): Promise<{ status: string }> {
    return this.call('health', {});
  }

  /** The OpenAPI 3.1 document the server serves. */
  openapi(): Promise<Record<string, unknown>> {
    return this.call('openapi', {});
  }

  async listIndexes(): Promise<string[]> {
    return (await this.call<{ indexes: string[] }>('listIndexes', {})).indexes;
  }

  describeIndex(index: string): Promise<IndexSummary> {
    return this.call('describeIndex', { index });
  }

  /** Creates `index` (`created: true`), or confirms one with the same definition exists (`false`). */
  createIndex(index: string, request: CreateIndexRequest): Promise<CreateIndexResponse> {
    return this.call('createIndex', { index }, request);
  }

  /** Deletes `index` and all its data. */
  deleteIndex(index: string): Promise<DeleteIndexResponse> {
    return this.call('deleteIndex', { index });
  }

  /**
   * Inserts or replaces up to 1,000 rows. Once this resolves the rows are durable and every query
   * that starts afterwards, on any coordinator, sees them.
   */
  upsert(index: string, request: UpsertRequest): Promise<UpsertResponse> {
    return this.call('upsertVectors', { index }, request);
  }

  /** Deletes up to 1,000 rows by id (ids that do not exist are ignored). */
  deleteVectors(index: string, request: DeleteVectorsRequest): Promise<DeleteVectorsResponse> {
    return this.call('deleteVectors', { index }, request);
  }

  /** The live rows among up to 1,000 ids, in request order. */
  fetchVectors(index: string, request: FetchRequest): Promise<FetchResponse> {
    return this.call('fetchVectors', { index }, request);
  }

  query(index: string, request: QueryRequest): Promise<QueryResponse> {
    return this.call('query', { index }, request);
  }

  queryBatch(index: string, request: BatchQueryRequest): Promise<BatchQueryResponse> {
    return this.call('queryBatch', { index }, request);
  }

  private async call<T>(id: RouteId, params: Record<string, string>, body?: unknown): Promise<T> {
    const route = ROUTE_BY_ID.get(id)!;
    const path = route.path.replace(/\{([A-Za-z]+)\}/g, (_, name: string) =>
      encodeURIComponent(params[name] ?? ''),
    );
    const url = new URL(path.slice(1), this.base);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const maxRetries = this.options.maxRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.send(route.method, url, text);
      } catch (error) {
        if (attempt < maxRetries) {
          await this.wait(attempt + 1, null);
          continue;
        }
        throw error;
      }
      if ((response.status === 429 || response.status === 503) && attempt < maxRetries) {
        await response.body?.cancel();
        await this.wait(attempt + 1, response.headers.get('retry-after'));
        continue;
      }
      return parseAnswer<T>(response);
    }
  }

  private async send(method: string, url: URL, body: string | undefined): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const auth = this.options.auth ?? { type: 'none' };
    if (auth.type === 'apiKey') headers['x-api-key'] = auth.apiKey;
    const signed =
      auth.type === 'iam'
        ? await signRequest(
            { method, url, headers, body },
            { region: auth.region, credentials: await this.iamCredentials(auth) },
          )
        : headers;
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    try {
      return await this.fetchFn(url, {
        method,
        headers: signed,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new SquashApiError(
        timedOut ? 'TIMEOUT' : 'NETWORK_ERROR',
        timedOut
          ? `${method} ${url.pathname}: no answer within ${timeoutMs} ms`
          : `${method} ${url.pathname}: ${(error as Error).message}`,
        0,
        undefined,
        { cause: error },
      );
    }
  }

  private async iamCredentials(
    auth: Extract<ClientAuth, { type: 'iam' }>,
  ): Promise<AwsCredentials | CredentialProvider> {
    if (auth.credentials !== undefined) return auth.credentials;
    if (this.credentials === undefined) {
      // Loaded on first use so clients without IAM auth never pull in the provider chain.
      const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
      this.credentials = defaultProvider();
    }
    return this.credentials;
  }

  private wait(attempt: number, retryAfter: string | null): Promise<void> {
    const delay = retryDelayMs(attempt, retryAfter, {
      baseDelayMs: this.options.baseDelayMs ?? 200,
      maxDelayMs: this.options.maxDelayMs ?? 10_000,
    });
    return new Promise((resolve) => setTimeout(resolve, delay));
  }
}

async function parseAnswer<T>(response: Response): Promise<T> {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch (error) {
    throw new SquashApiError(
      'INVALID_RESPONSE',
      `status ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`,
      response.status,
      requestId,
      { cause: error },
    );
  }
  if (response.ok) return body as T;
  const error = (body as Partial<ErrorBody> | undefined)?.error;
  const code: ApiErrorCode | 'INVALID_RESPONSE' =
    typeof error?.code === 'string' && isApiErrorCode(error.code) ? error.code : 'INVALID_RESPONSE';
  const message =
    typeof error?.message === 'string' ? error.message : `status ${response.status}: ${text.slice(0, 200)}`;
  throw new SquashApiError(code, message, response.status, error?.requestId ?? requestId);
}
