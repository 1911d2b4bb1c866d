import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute } from 'node:path';
import { isLoopbackHost, isValidSecret, randomSecret } from './endpoint-secret.ts';
import { InvalidOptionError } from './runtime-errors.ts';

/** One function served by the runtime. */
export interface LambdaFunctionOptions {
  /** Function name as callers pass it to Invoke: 1-64 of `[A-Za-z0-9_-]`, as AWS requires. */
  readonly name: string;
  /** Absolute path of the handler module, JavaScript or TypeScript (see `tsx`). Must exist at start. */
  readonly handlerModule: string;
  /** Export of the module to call. @default 'handler' */
  readonly handlerExport?: string;
  /**
   * Environment variables of the function, set last (they win over inherited variables and the
   * `AWS_LAMBDA_*` ones the runtime sets). @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Function timeout, counted from the moment the handler is called (init is not counted, as in
   * AWS). Past it the worker is killed and the caller gets `Sandbox.Timedout`. @default 30000
   */
  readonly timeoutMs?: number;
  /**
   * Most invocations in flight at once (reserved concurrency): one more gets 429
   * `TooManyRequestsException`, and each in-flight invocation holds one worker process, so this
   * also caps the pool size. @default 10
   */
  readonly maxConcurrency?: number;
  /**
   * Most worker processes of this function alive at once. Invocations within `maxConcurrency`
   * but past `maxWorkers` wait (first come, first served) for a worker to come free instead of
   * forking another process, so load on a small machine queues rather than multiplying processes
   * that compete for the same cores and memory. The function timeout counts from the moment the
   * handler is called, not from the wait; a caller that disconnects while waiting leaves the
   * queue at once. Set it to `maxConcurrency` for AWS's one-environment-per-invocation behaviour.
   * @default Math.min(maxConcurrency, 2 * os.availableParallelism())
   */
  readonly maxWorkers?: number;
  /** Reported as `memoryLimitInMB` and applied as the worker's V8 heap limit. @default 1024 */
  readonly memoryMb?: number;
  /** An idle worker is killed after this long unused; the next invocation is a cold start. @default 300000 */
  readonly idleTimeoutMs?: number;
  /**
   * Longest a worker may take to import its handler module (the init phase) before the
   * invocation fails with `Sandbox.Timedout`. AWS gives init 10 s and, when that runs out,
   * retries it within the function timeout, so the effective bound is the larger of the two.
   * @default Math.max(10000, timeoutMs)
   */
  readonly initTimeoutMs?: number;
  /**
   * Start workers with `--import tsx`, so the handler module and whatever it imports may be
   * TypeScript. It costs about 0.4 s of CPU per cold start on Node 20; a JavaScript handler that
   * imports no TypeScript can do without. @default true when handlerModule ends in .ts, .mts,
   * .cts or .tsx, false otherwise
   */
  readonly tsx?: boolean;
}

/** Options of `startLambdaRuntime`. */
export interface LambdaRuntimeOptions {
  /**
   * Interface to listen on. Only loopback addresses are accepted (127.0.0.0/8, `::1`,
   * `localhost`): the Invoke API runs any served function for whoever can reach it, so it never
   * listens where other machines can. @default '127.0.0.1'
   */
  readonly host?: string;
  /**
   * The per-run secret every Invoke request must carry as the first path segment
   * (`http://127.0.0.1:<port>/<secret>/2015-03-31/functions/...`); requests without it get 403
   * `UnrecognizedClientException`. The returned `url` includes it, so an SDK client given `url`
   * as `endpoint` (or `AWS_ENDPOINT_URL_LAMBDA`) sends it unchanged. At least 16 characters of
   * `[A-Za-z0-9_-]`. @default 32 random base64url characters, new on every start
   */
  readonly secret?: string;
  /** TCP port; 0 picks a free one (read it from the returned `port`). @default 0 */
  readonly port?: number;
  readonly functions: readonly LambdaFunctionOptions[];
  /** Region in ARNs and `AWS_REGION` of workers. @default 'us-east-1' */
  readonly region?: string;
  /** Account id in ARNs. @default '000000000000' */
  readonly accountId?: string;
  /** Receives one line per invocation (a REPORT-like summary). @default no logging */
  readonly log?: (line: string) => void;
  /**
   * Where worker stdout/stderr go besides the log tail: `'inherit'` prints them on this process's
   * streams, `'ignore'` drops them. @default 'ignore'
   */
  readonly workerOutput?: 'ignore' | 'inherit';
  /**
   * Whether workers start from this process's environment. AWS starts from a clean one; inheriting
   * is the local default so credentials and `AWS_ENDPOINT_URL_*` reach handlers. @default true
   */
  readonly inheritEnv?: boolean;
}

/** `LambdaFunctionOptions` with every default applied. */
export type ResolvedFunctionOptions = Required<LambdaFunctionOptions>;

/** `LambdaRuntimeOptions` with every default applied. */
export interface ResolvedRuntimeOptions extends Required<Omit<LambdaRuntimeOptions, 'functions'>> {
  readonly functions: readonly ResolvedFunctionOptions[];
}

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const TYPESCRIPT_MODULE = /\.(?:ts|mts|cts|tsx)$/;
const RUNTIME_KEYS = [
  'host',
  'secret',
  'port',
  'functions',
  'region',
  'accountId',
  'log',
  'workerOutput',
  'inheritEnv',
];
const FUNCTION_KEYS = [
  'name',
  'handlerModule',
  'handlerExport',
  'env',
  'timeoutMs',
  'maxConcurrency',
  'maxWorkers',
  'memoryMb',
  'idleTimeoutMs',
  'initTimeoutMs',
  'tsx',
];

/** Applies defaults and rejects anything AWS or this runtime would not accept, naming the option. */
export function resolveRuntimeOptions(options: LambdaRuntimeOptions): ResolvedRuntimeOptions {
  rejectUnknownKeys(options, RUNTIME_KEYS, 'options');
  if (!Array.isArray(options.functions) || options.functions.length === 0) {
    throw new InvalidOptionError('functions', 'functions must be a non-empty array of function options');
  }
  const functions = options.functions.map((fn, index) => resolveFunctionOptions(fn, `functions[${index}]`));
  const seen = new Set<string>();
  for (const fn of functions) {
    if (seen.has(fn.name))
      throw new InvalidOptionError('functions', `function name "${fn.name}" is used twice`);
    seen.add(fn.name);
  }
  const workerOutput = options.workerOutput ?? 'ignore';
  if (workerOutput !== 'ignore' && workerOutput !== 'inherit') {
    throw new InvalidOptionError(
      'workerOutput',
      `workerOutput is "${workerOutput}"; use 'ignore' or 'inherit'`,
    );
  }
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    throw new InvalidOptionError(
      'host',
      `host is ${JSON.stringify(host)}; the Invoke API runs any served function for whoever reaches it, so it listens only on loopback: allowed 127.0.0.0/8, ::1 or localhost`,
    );
  }
  if (options.secret !== undefined && !isValidSecret(options.secret)) {
    throw new InvalidOptionError(
      'secret',
      `secret has ${String(options.secret).length} characters; allowed: at least 16 of A-Z, a-z, 0-9, _ and -`,
    );
  }
  return {
    host,
    secret: options.secret ?? randomSecret(),
    port: integerInRange('port', options.port ?? 0, 0, 65_535),
    functions,
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '000000000000',
    log: options.log ?? (() => {}),
    workerOutput,
    inheritEnv: options.inheritEnv ?? true,
  };
}

function resolveFunctionOptions(fn: LambdaFunctionOptions, where: string): ResolvedFunctionOptions {
  rejectUnknownKeys(fn, FUNCTION_KEYS, where);
  if (typeof fn.name !== 'string' || !FUNCTION_NAME.test(fn.name)) {
    throw new InvalidOptionError(
      `${where}.name`,
      `function name "${String(fn.name)}" must be 1-64 characters of A-Z, a-z, 0-9, _ and -`,
    );
  }
  if (typeof fn.handlerModule !== 'string' || !isAbsolute(fn.handlerModule)) {
    throw new InvalidOptionError(
      `${where}.handlerModule`,
      `handlerModule of "${fn.name}" is "${String(fn.handlerModule)}"; it must be an absolute path`,
    );
  }
  if (!existsSync(fn.handlerModule)) {
    throw new InvalidOptionError(
      `${where}.handlerModule`,
      `handlerModule of "${fn.name}" does not exist: ${fn.handlerModule}`,
    );
  }
  for (const [key, value] of Object.entries(fn.env ?? {})) {
    if (typeof value !== 'string') {
      throw new InvalidOptionError(
        `${where}.env`,
        `env.${key} of "${fn.name}" is ${typeof value}; must be a string`,
      );
    }
  }
  const timeoutMs = integerInRange(`${where}.timeoutMs`, fn.timeoutMs ?? 30_000, 1, 900_000);
  const maxConcurrency = integerInRange(`${where}.maxConcurrency`, fn.maxConcurrency ?? 10, 1, 1_000);
  const maxWorkers = integerInRange(
    `${where}.maxWorkers`,
    fn.maxWorkers ?? Math.min(maxConcurrency, 2 * availableParallelism()),
    1,
    maxConcurrency,
  );
  return {
    name: fn.name,
    handlerModule: fn.handlerModule,
    handlerExport: fn.handlerExport ?? 'handler',
    env: { ...(fn.env ?? {}) },
    // AWS allows 1 s to 900 s; shorter timeouts are allowed here so tests stay fast.
    timeoutMs,
    maxConcurrency,
    maxWorkers,
    memoryMb: integerInRange(`${where}.memoryMb`, fn.memoryMb ?? 1024, 128, 10_240),
    idleTimeoutMs: integerInRange(`${where}.idleTimeoutMs`, fn.idleTimeoutMs ?? 300_000, 1, 86_400_000),
    initTimeoutMs: integerInRange(
      `${where}.initTimeoutMs`,
      fn.initTimeoutMs ?? Math.max(10_000, timeoutMs),
      1,
      900_000,
    ),
    tsx: fn.tsx ?? TYPESCRIPT_MODULE.test(fn.handlerModule),
  };
}

function rejectUnknownKeys(value: object, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new InvalidOptionError(
        where,
        `${where} has unknown option "${key}"; known: ${allowed.join(', ')}`,
      );
    }
  }
}

function integerInRange(argument: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidOptionError(
      argument,
      `${argument} is ${value}; expected an integer in [${min}, ${max}]`,
    );
  }
  return value;
}
