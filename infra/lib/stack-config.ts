import { FUNCTION_SETTINGS, INDEX_NAME_REGEX, LOG_LEVELS } from '@squash/contracts';
import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { integerIn, oneOf } from './config-checks.ts';
import { InfraConfigError } from './infra-config-error.ts';
import { REPO_ROOT } from './project-paths.ts';
import { type RequestBudget, resolveRequestBudget } from './request-budget.ts';
import type {
  SquashAuth,
  SquashBundling,
  SquashLogLevel,
  SquashVectorSearchProps,
} from './squash-vector-search-props.ts';

/** `SquashVectorSearchProps` with every default applied and every value checked. */
export interface StackConfig extends RequestBudget {
  readonly indexNames: readonly string[];
  readonly indexPrefix: string;
  readonly partitions: number;
  /** Whether `partitions` came from neither the props nor a manifest (the stack warns). */
  readonly partitionsDefaulted: boolean;
  readonly partitionsPerProcessor: number;
  readonly processorCount: number;
  readonly branching: number;
  readonly coordinatorMemoryMb: number;
  readonly processorMemoryMb: number;
  readonly fanoutMemoryMb: number;
  readonly compactorMemoryMb: number;
  readonly compactorTimeoutSeconds: number;
  readonly compactionTailRows: number;
  readonly provisionedConcurrency: number;
  readonly auth: SquashAuth;
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly corsOrigins: readonly string[];
  readonly removalPolicy: RemovalPolicy;
  readonly uploadPrincipalArn?: string;
  readonly bundling: SquashBundling;
  readonly httpApi: boolean;
  readonly logRetention: RetentionDays;
  readonly logLevel: SquashLogLevel;
  readonly projectRoot: string;
}

/** Lambda's longest function timeout. */
export const MAX_LAMBDA_TIMEOUT_SECONDS = 900;

/**
 * Default values, exported so docs and tests name one source. Those of function settings come from
 * `FUNCTION_SETTINGS` (`@squash/contracts`), which the functions read with the same defaults; the
 * default `invokeTimeoutMs` derives from the request budget (`defaultInvokeTimeoutMs`).
 */
export const STACK_DEFAULTS = {
  indexPrefix: 'indexes',
  partitions: 1,
  partitionsPerProcessor: FUNCTION_SETTINGS.partitionsPerProcessor.default,
  branching: FUNCTION_SETTINGS.branching.default,
  coordinatorMemoryMb: 1024,
  processorMemoryMb: 2048,
  fanoutMemoryMb: 512,
  compactorMemoryMb: 3008,
  compactorTimeoutSeconds: MAX_LAMBDA_TIMEOUT_SECONDS,
  compactionTailRows: FUNCTION_SETTINGS.compactionTailRows.default,
  requestTimeoutMs: FUNCTION_SETTINGS.requestTimeoutMs.default,
  deadlineMarginMs: FUNCTION_SETTINGS.deadlineMarginMs.default,
  provisionedConcurrency: 0,
  auth: 'iam',
  rateLimit: 100,
  burstLimit: 200,
  bundling: 'esbuild',
  logLevel: FUNCTION_SETTINGS.logLevel.default,
} as const;

/** Props replaced by the request budget; a JavaScript caller passing them gets an error, not silence. */
const REMOVED_PROPS = ['timeouts'] as const;

/** CloudFormation's limit on resources per stack. */
const MAX_STACK_RESOURCES = 500;
/**
 * Resources of the stack that do not scale with the processor count (bucket, API, roles, the
 * compactor with its role, policies and event invoke config...), rounded up.
 */
const FIXED_RESOURCES = 70;

const PREFIX_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const AUTH_MODES: readonly SquashAuth[] = ['iam', 'lambda', 'none'];
const BUNDLING_MODES: readonly SquashBundling[] = ['esbuild', 'skip'];

/**
 * Applies the defaults of `SquashVectorSearchProps` and validates every value once, at the boundary, so
 * the constructs can assume a consistent configuration.
 *
 * @throws InfraConfigError naming the property, the value received and what is allowed.
 */
export function resolveStackConfig(props: SquashVectorSearchProps = {}): StackConfig {
  rejectRemovedProps(props);
  const manifest = props.manifest;
  const indexNames = props.indexNames ?? (manifest === undefined ? [] : [manifest.name]);
  indexNames.forEach((name) => {
    if (!INDEX_NAME_REGEX.test(name)) {
      throw new InfraConfigError(
        'indexNames',
        `index name ${JSON.stringify(name)} is not allowed; use 1-128 letters, digits, ".", "_", "-", starting with a letter or digit`,
      );
    }
  });
  if (new Set(indexNames).size !== indexNames.length) {
    throw new InfraConfigError('indexNames', `index names must be unique; got ${JSON.stringify(indexNames)}`);
  }
  const partitions = integerIn(
    'partitions',
    props.partitions ?? manifest?.partitions ?? STACK_DEFAULTS.partitions,
    1,
    100_000,
  );
  const partitionsPerProcessor = integerIn(
    'partitionsPerProcessor',
    props.partitionsPerProcessor ?? STACK_DEFAULTS.partitionsPerProcessor,
    FUNCTION_SETTINGS.partitionsPerProcessor.min,
    FUNCTION_SETTINGS.partitionsPerProcessor.max,
  );
  const provisionedConcurrency = integerIn(
    'provisionedConcurrency',
    props.provisionedConcurrency ?? STACK_DEFAULTS.provisionedConcurrency,
    0,
    10_000,
  );
  const processorCount = Math.ceil(partitions / partitionsPerProcessor);
  checkStackSize(processorCount, provisionedConcurrency > 0, partitions, partitionsPerProcessor);
  const httpApi = props.httpApi ?? true;
  const budget = resolveRequestBudget({
    httpApi,
    ...pick(props, ['requestTimeoutMs', 'deadlineMarginMs', 'invokeTimeoutMs']),
  });
  return {
    indexNames,
    indexPrefix: resolvePrefix(props.indexPrefix ?? STACK_DEFAULTS.indexPrefix),
    partitions,
    partitionsDefaulted: props.partitions === undefined && manifest === undefined,
    partitionsPerProcessor,
    processorCount,
    branching: integerIn(
      'branching',
      props.branching ?? STACK_DEFAULTS.branching,
      FUNCTION_SETTINGS.branching.min,
      FUNCTION_SETTINGS.branching.max,
    ),
    coordinatorMemoryMb: memoryOf(
      'coordinatorMemoryMb',
      props.coordinatorMemoryMb ?? STACK_DEFAULTS.coordinatorMemoryMb,
    ),
    processorMemoryMb: memoryOf(
      'processorMemoryMb',
      props.processorMemoryMb ?? STACK_DEFAULTS.processorMemoryMb,
    ),
    fanoutMemoryMb: memoryOf('fanoutMemoryMb', props.fanoutMemoryMb ?? STACK_DEFAULTS.fanoutMemoryMb),
    compactorMemoryMb: memoryOf(
      'compactorMemoryMb',
      props.compactorMemoryMb ?? STACK_DEFAULTS.compactorMemoryMb,
    ),
    compactorTimeoutSeconds: lambdaTimeoutOf(
      'compactorTimeoutSeconds',
      props.compactorTimeoutSeconds ?? STACK_DEFAULTS.compactorTimeoutSeconds,
    ),
    compactionTailRows: integerIn(
      'compactionTailRows',
      props.compactionTailRows ?? STACK_DEFAULTS.compactionTailRows,
      FUNCTION_SETTINGS.compactionTailRows.min,
      FUNCTION_SETTINGS.compactionTailRows.max,
    ),
    ...budget,
    provisionedConcurrency,
    auth: oneOf('auth', props.auth ?? STACK_DEFAULTS.auth, AUTH_MODES),
    rateLimit: integerIn(
      'throttle.rateLimit',
      props.throttle?.rateLimit ?? STACK_DEFAULTS.rateLimit,
      1,
      1_000_000,
    ),
    burstLimit: integerIn(
      'throttle.burstLimit',
      props.throttle?.burstLimit ?? STACK_DEFAULTS.burstLimit,
      1,
      1_000_000,
    ),
    corsOrigins: resolveCorsOrigins(props.corsOrigins ?? []),
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    ...(props.uploadPrincipalArn === undefined
      ? {}
      : { uploadPrincipalArn: arnOf(props.uploadPrincipalArn) }),
    bundling: oneOf('bundling', props.bundling ?? STACK_DEFAULTS.bundling, BUNDLING_MODES),
    httpApi,
    logRetention: props.logRetention ?? RetentionDays.ONE_MONTH,
    logLevel: oneOf('logLevel', props.logLevel ?? STACK_DEFAULTS.logLevel, LOG_LEVELS),
    projectRoot: props.projectRoot ?? REPO_ROOT,
  };
}

function rejectRemovedProps(props: SquashVectorSearchProps): void {
  for (const name of REMOVED_PROPS) {
    if (name in props) {
      throw new InfraConfigError(
        name,
        `${name} is no longer a prop; every function timeout derives from requestTimeoutMs (and deadlineMarginMs, invokeTimeoutMs)`,
      );
    }
  }
}

/** The fields of `props` among `keys` that are set (the budget's props type has no explicit `undefined`). */
function pick<K extends keyof SquashVectorSearchProps>(
  props: SquashVectorSearchProps,
  keys: readonly K[],
): Partial<Pick<SquashVectorSearchProps, K>> {
  return Object.fromEntries(keys.filter((k) => props[k] !== undefined).map((k) => [k, props[k]])) as Partial<
    Pick<SquashVectorSearchProps, K>
  >;
}

function checkStackSize(
  processors: number,
  aliased: boolean,
  partitions: number,
  perProcessor: number,
): void {
  // Per processor: function and log group, plus version and alias with provisioned concurrency.
  const estimated = FIXED_RESOURCES + processors * (aliased ? 4 : 2);
  if (estimated > MAX_STACK_RESOURCES) {
    throw new InfraConfigError(
      'partitionsPerProcessor',
      `${partitions} partitions at ${perProcessor} per processor need ${processors} processor functions, about ${estimated} CloudFormation resources; a stack allows ${MAX_STACK_RESOURCES}. Raise partitionsPerProcessor.`,
    );
  }
}

function resolvePrefix(prefix: string): string {
  const segments = prefix.split('/');
  if (prefix === '' || !segments.every((s) => PREFIX_SEGMENT.test(s))) {
    throw new InfraConfigError(
      'indexPrefix',
      `indexPrefix ${JSON.stringify(prefix)} is not allowed; use "/"-separated segments of letters, digits, ".", "_", "-" without a leading or trailing "/"`,
    );
  }
  return prefix;
}

function memoryOf(field: string, value: number): number {
  // Lambda's range. CPU grows with memory: a full vCPU at 1769 MB.
  return integerIn(field, value, 128, 10_240);
}

function lambdaTimeoutOf(field: string, seconds: number): number {
  if (Number.isSafeInteger(seconds) && seconds > MAX_LAMBDA_TIMEOUT_SECONDS) {
    throw new InfraConfigError(
      field,
      `${field} is ${seconds}; Lambda allows a function at most ${MAX_LAMBDA_TIMEOUT_SECONDS} s`,
    );
  }
  return integerIn(field, seconds, 1, MAX_LAMBDA_TIMEOUT_SECONDS);
}

function arnOf(value: string): string {
  if (!/^arn:aws[a-z-]*:(iam|sts)::\d{12}:.+$/.test(value)) {
    throw new InfraConfigError(
      'uploadPrincipalArn',
      `uploadPrincipalArn ${JSON.stringify(value)} is not an IAM principal ARN (arn:aws:iam::<account>:role/... or :user/...)`,
    );
  }
  return value;
}

/** `corsOrigins`: `'*'` or origins such as `https://app.example.com` (scheme and host, no path). */
function resolveCorsOrigins(origins: readonly string[]): readonly string[] {
  for (const origin of origins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new InfraConfigError(
        'corsOrigins',
        `corsOrigins holds ${JSON.stringify(origin)}; allowed: '*' or origins such as https://app.example.com (no path)`,
      );
    }
  }
  return [...origins];
}
