/** Where the LocalStack suite expects LocalStack (docker-compose.yml publishes it there). */
export const LOCALSTACK_URL = 'http://127.0.0.1:4566';

/** The one line `npm run test:localstack` prints when LocalStack is not running. */
export const LOCALSTACK_SKIP_LINE = `LocalStack not reachable at ${LOCALSTACK_URL}: skipping the LocalStack suite (start it with docker compose up -d)`;

/** What `/_localstack/health` reports. */
export interface LocalStackHealth {
  /** Service name -> state (`available`, `running`, `disabled`, ...). */
  readonly services: Readonly<Record<string, string>>;
  readonly edition?: string;
  readonly version?: string;
}

/**
 * Asks LocalStack for its health within `timeoutMs`. Returns `undefined` when nothing answers
 * (not started, wrong port, not LocalStack), never throws.
 */
export async function probeLocalStack(
  baseUrl = LOCALSTACK_URL,
  timeoutMs = 2000,
  fetchFn: typeof fetch = fetch,
): Promise<LocalStackHealth | undefined> {
  try {
    const response = await fetchFn(`${baseUrl}/_localstack/health`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return undefined;
    const body = (await response.json()) as Partial<LocalStackHealth>;
    if (body === null || typeof body !== 'object' || typeof body.services !== 'object') return undefined;
    return body as LocalStackHealth;
  } catch {
    return undefined;
  }
}

/**
 * Whether this LocalStack serves API Gateway v2 (HTTP APIs). The free edition does not; the
 * suite then deploys without the HTTP API and reaches the coordinator through the invoke bridge.
 */
export function hasHttpApiSupport(health: LocalStackHealth): boolean {
  const state = health.services.apigatewayv2;
  return state !== undefined && state !== 'disabled' && state !== 'error';
}
