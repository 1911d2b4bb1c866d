import { randomBytes } from 'node:crypto';
import { LATEST_VERSION } from './lambda-limits.ts';
import type { ResolvedFunctionOptions } from './runtime-options.ts';

/** Runtime-wide inputs to a worker's environment. */
export interface WorkerEnvironmentInput {
  readonly region: string;
  readonly inheritEnv: boolean;
  /** The environment to inherit from when `inheritEnv` is true. */
  readonly parentEnv: Readonly<Record<string, string | undefined>>;
}

/**
 * The environment of a new worker: the inherited variables (if any), then the standard
 * variables AWS sets in every Node.js execution environment (and tracing off), then the
 * function's own `env`.
 * Each worker gets its own log stream name, as each AWS execution environment does.
 */
export function buildWorkerEnvironment(
  fn: ResolvedFunctionOptions,
  input: WorkerEnvironmentInput,
  now: Date = new Date(),
): Record<string, string> {
  const env: Record<string, string> = {};
  if (input.inheritEnv) {
    for (const [key, value] of Object.entries(input.parentEnv)) {
      if (value !== undefined) env[key] = value;
    }
  }
  Object.assign(env, {
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: LATEST_VERSION,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(now),
    // Every worker starts on demand; Powertools flags `cold_start` only when it reads this value.
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    _HANDLER: `${fn.handlerModule}.${fn.handlerExport}`,
    // No X-Ray daemon and no trace header here. Powertools Tracer already stays off without
    // AWS_EXECUTION_ENV, but an inherited one (CloudShell and ECS tasks set it) would turn it on
    // and every invocation would log missing-segment errors. A function's `env` may still set it.
    POWERTOOLS_TRACE_ENABLED: 'false',
  });
  Object.assign(env, fn.env);
  return env;
}

/** `2025/01/31/[$LATEST]<32 hex>`, the shape of an AWS log stream name. */
function logStreamName(now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[${LATEST_VERSION}]${randomBytes(16).toString('hex')}`;
}
