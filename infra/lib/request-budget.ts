import { FUNCTION_SETTINGS } from '@squash/contracts';
import { integerIn } from './config-checks.ts';
import { InfraConfigError } from './infra-config-error.ts';

/** API Gateway HTTP APIs end a Lambda integration after 30 s; the quota cannot be raised. */
export const HTTP_API_INTEGRATION_LIMIT_MS = 30_000;

/**
 * Time kept under the HTTP API limit for what happens before the coordinator's handler starts the
 * request clock: Lambda's init phase on a cold start (a ~0.6 MB ES module bundle on Node.js 22
 * typically initialises in well under 1 s) and API Gateway's own hops. The request budget starts
 * when the handler runs, so without this a cold request could end in API Gateway's 503 instead of
 * the coordinator's partial answer.
 */
export const COLD_START_ALLOWANCE_MS = 2_000;

/** Lambda's largest function timeout. */
const MAX_LAMBDA_TIMEOUT_SECONDS = 900;

/** What the three props `requestTimeoutMs`, `deadlineMarginMs` and `invokeTimeoutMs` resolve to. */
export interface RequestBudget {
  /** R: `SQUASH_REQUEST_TIMEOUT_MS` of every function. */
  readonly requestTimeoutMs: number;
  /** M: `SQUASH_DEADLINE_MARGIN_MS` of every function. */
  readonly deadlineMarginMs: number;
  /** `SQUASH_INVOKE_TIMEOUT_MS` of every function, at most R. */
  readonly invokeTimeoutMs: number;
  /** ceil((R + M) / 1000): the coordinator answers by R and keeps one margin to send the answer. */
  readonly coordinatorTimeoutSeconds: number;
  /** ceil(R / 1000): a tree node is given at most R - M, so this backstop never fires first. */
  readonly fanoutTimeoutSeconds: number;
  /** ceil(R / 1000), as for tree nodes. */
  readonly processorTimeoutSeconds: number;
}

export interface RequestBudgetProps {
  readonly requestTimeoutMs?: number;
  readonly deadlineMarginMs?: number;
  readonly invokeTimeoutMs?: number;
  /** Whether API Gateway's 30 s integration limit applies. */
  readonly httpApi: boolean;
}

/**
 * The default `invokeTimeoutMs`: floor((R - M) / 2), so that a child that hangs is abandoned in
 * time to retry it once (on a fresh instance) within the same budget, each attempt getting about
 * R / 2 - M of work. See `SquashStackProps.invokeTimeoutMs` for when to choose R instead.
 */
export function defaultInvokeTimeoutMs(requestTimeoutMs: number, deadlineMarginMs: number): number {
  return Math.floor((requestTimeoutMs - deadlineMarginMs) / 2);
}

/**
 * Resolves and checks the request budget and derives every function timeout from it, so the
 * layers nest as the query path expects (see the `requestTimeoutMs` setting in
 * `@squash/contracts`): coordinator >= R + M, tree nodes and processors >= R, one attempt <= R.
 *
 * @throws InfraConfigError naming the property, the value and what is allowed.
 */
export function resolveRequestBudget(props: RequestBudgetProps): RequestBudget {
  const s = FUNCTION_SETTINGS;
  const r = integerIn(
    'requestTimeoutMs',
    props.requestTimeoutMs ?? s.requestTimeoutMs.default,
    s.requestTimeoutMs.min,
    s.requestTimeoutMs.max,
  );
  const m = integerIn(
    'deadlineMarginMs',
    props.deadlineMarginMs ?? s.deadlineMarginMs.default,
    s.deadlineMarginMs.min,
    s.deadlineMarginMs.max,
  );
  if (r < 4 * m) {
    throw new InfraConfigError(
      'requestTimeoutMs',
      `requestTimeoutMs is ${r} with deadlineMarginMs ${m}; it must be at least 4 x deadlineMarginMs (${4 * m}): every level keeps a margin, and two attempts at a child need 1.5 margins each`,
    );
  }
  checkCoordinatorTimeout(r, m, props.httpApi);
  const invokeTimeoutMs = resolveInvokeTimeout(props.invokeTimeoutMs, r, m);
  return {
    requestTimeoutMs: r,
    deadlineMarginMs: m,
    invokeTimeoutMs,
    coordinatorTimeoutSeconds: Math.ceil((r + m) / 1000),
    fanoutTimeoutSeconds: Math.ceil(r / 1000),
    processorTimeoutSeconds: Math.ceil(r / 1000),
  };
}

function checkCoordinatorTimeout(r: number, m: number, httpApi: boolean): void {
  const coordinatorMs = r + m;
  if (httpApi && coordinatorMs + COLD_START_ALLOWANCE_MS >= HTTP_API_INTEGRATION_LIMIT_MS) {
    const largest = HTTP_API_INTEGRATION_LIMIT_MS - COLD_START_ALLOWANCE_MS - m - 1;
    throw new InfraConfigError(
      'requestTimeoutMs',
      `requestTimeoutMs ${r} + deadlineMarginMs ${m} + a ${COLD_START_ALLOWANCE_MS} ms coordinator cold-start allowance is ${coordinatorMs + COLD_START_ALLOWANCE_MS} ms; API Gateway HTTP APIs end an integration at ${HTTP_API_INTEGRATION_LIMIT_MS} ms, so it must stay below that: use requestTimeoutMs of at most ${largest}, or httpApi false`,
    );
  }
  if (Math.ceil(coordinatorMs / 1000) > MAX_LAMBDA_TIMEOUT_SECONDS) {
    throw new InfraConfigError(
      'requestTimeoutMs',
      `requestTimeoutMs ${r} + deadlineMarginMs ${m} is ${coordinatorMs} ms; the coordinator's Lambda timeout must hold it, and Lambda allows at most ${MAX_LAMBDA_TIMEOUT_SECONDS} s`,
    );
  }
}

function resolveInvokeTimeout(value: number | undefined, r: number, m: number): number {
  if (value === undefined) return defaultInvokeTimeoutMs(r, m);
  // An attempt is started only when its child gets at least one margin after the caller keeps half
  // a margin on each side (query-service's attemptWindow / hasTimeFor): below 1.5 M none starts.
  const min = Math.max(FUNCTION_SETTINGS.invokeTimeoutMs.min, Math.ceil(1.5 * m));
  if (!Number.isSafeInteger(value) || value < min || value > r) {
    throw new InfraConfigError(
      'invokeTimeoutMs',
      `invokeTimeoutMs is ${String(value)}; expected an integer from ${min} (1.5 x deadlineMarginMs ${m}: a shorter attempt never starts) to requestTimeoutMs (${r}: an attempt never outlasts the request budget)`,
    );
  }
  return value;
}
