import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { InfraConfigError } from './infra-config-error.ts';
import { REPO_ROOT } from './project-paths.ts';
import type { SquashAuth, SquashBundling, SquashLogLevel, SquashStackProps } from './squash-stack-props.ts';

/** `SquashStackProps` with every default applied and every value checked. */
export interface StackConfig {
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
  readonly coordinatorTimeoutSeconds: number;
  readonly fanoutTimeoutSeconds: number;
  readonly processorTimeoutSeconds: number;
  readonly invokeTimeoutMs: number;
  readonly provisionedConcurrency: number;
  readonly auth: SquashAuth;
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly removalPolicy: RemovalPolicy;
  readonly uploadPrincipalArn?: string;
  readonly bundling: SquashBundling;
  readonly httpApi: boolean;
  readonly logRetention: RetentionDays;
  readonly logLevel: SquashLogLevel;
  readonly projectRoot: string;
}

/** Default values, exported so docs and tests name one source. */
export const STACK_DEFAULTS = {
  indexPrefix: 'indexes',
  partitions: 1,
  partitionsPerProcessor: 1,
  branching: 8,
  coordinatorMemoryMb: 1024,
  processorMemoryMb: 2048,
  fanoutMemoryMb: 512,
  coordinatorTimeoutSeconds: 29,
  fanoutTimeoutSeconds: 28,
  processorTimeoutSeconds: 25,
  invokeTimeoutMs: 25_000,
  provisionedConcurrency: 0,
  auth: 'iam',
  rateLimit: 100,
  burstLimit: 200,
  bundling: 'esbuild',
  logLevel: 'info',
} as const;

/** CloudFormation's limit on resources per stack. */
const MAX_STACK_RESOURCES = 500;
/** Resources of the stack that do not scale with the processor count (bucket, API, roles...), rounded up. */
const FIXED_RESOURCES = 60;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const PREFIX_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const AUTH_MODES: readonly SquashAuth[] = ['iam', 'lambda', 'none'];
const BUNDLING_MODES: readonly SquashBundling[] = ['esbuild', 'skip'];
const LOG_LEVELS: readonly SquashLogLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * Applies the defaults of `SquashStackProps` and validates every value once, at the boundary, so
 * the constructs can assume a consistent configuration.
 *
 * @throws InfraConfigError naming the property, the value received and what is allowed.
 */
export function resolveStackConfig(props: SquashStackProps = {}): StackConfig {
  const manifest = props.manifest;
  const indexNames = props.indexNames ?? (manifest === undefined ? [] : [manifest.name]);
  indexNames.forEach((name) => {
    if (!NAME.test(name)) {
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
    1,
    100_000,
  );
  const provisionedConcurrency = integerIn(
    'provisionedConcurrency',
    props.provisionedConcurrency ?? STACK_DEFAULTS.provisionedConcurrency,
    0,
    10_000,
  );
  const processorCount = Math.ceil(partitions / partitionsPerProcessor);
  checkStackSize(processorCount, provisionedConcurrency > 0, partitions, partitionsPerProcessor);
  const timeouts = resolveTimeouts(props);
  return {
    indexNames,
    indexPrefix: resolvePrefix(props.indexPrefix ?? STACK_DEFAULTS.indexPrefix),
    partitions,
    partitionsDefaulted: props.partitions === undefined && manifest === undefined,
    partitionsPerProcessor,
    processorCount,
    branching: integerIn('branching', props.branching ?? STACK_DEFAULTS.branching, 2, 1000),
    coordinatorMemoryMb: memoryOf(
      'coordinatorMemoryMb',
      props.coordinatorMemoryMb ?? STACK_DEFAULTS.coordinatorMemoryMb,
    ),
    processorMemoryMb: memoryOf(
      'processorMemoryMb',
      props.processorMemoryMb ?? STACK_DEFAULTS.processorMemoryMb,
    ),
    fanoutMemoryMb: memoryOf('fanoutMemoryMb', props.fanoutMemoryMb ?? STACK_DEFAULTS.fanoutMemoryMb),
    ...timeouts,
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
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    ...(props.uploadPrincipalArn === undefined
      ? {}
      : { uploadPrincipalArn: arnOf(props.uploadPrincipalArn) }),
    bundling: oneOf('bundling', props.bundling ?? STACK_DEFAULTS.bundling, BUNDLING_MODES),
    httpApi: props.httpApi ?? true,
    logRetention: props.logRetention ?? RetentionDays.ONE_MONTH,
    logLevel: oneOf('logLevel', props.logLevel ?? STACK_DEFAULTS.logLevel, LOG_LEVELS),
    projectRoot: props.projectRoot ?? REPO_ROOT,
  };
}

function resolveTimeouts(props: SquashStackProps) {
  const t = props.timeouts ?? {};
  const coordinatorTimeoutSeconds = integerIn(
    'timeouts.coordinatorSeconds',
    t.coordinatorSeconds ?? STACK_DEFAULTS.coordinatorTimeoutSeconds,
    1,
    900,
  );
  const invokeTimeoutMs = integerIn(
    'timeouts.invokeMs',
    t.invokeMs ?? STACK_DEFAULTS.invokeTimeoutMs,
    100,
    900_000,
  );
  if (invokeTimeoutMs >= coordinatorTimeoutSeconds * 1000) {
    throw new InfraConfigError(
      'timeouts.invokeMs',
      `timeouts.invokeMs is ${invokeTimeoutMs}; it must be below the coordinator timeout (${coordinatorTimeoutSeconds * 1000} ms) so a slow partition is reported missing instead of failing the request`,
    );
  }
  return {
    coordinatorTimeoutSeconds,
    fanoutTimeoutSeconds: integerIn(
      'timeouts.fanoutSeconds',
      t.fanoutSeconds ?? STACK_DEFAULTS.fanoutTimeoutSeconds,
      1,
      900,
    ),
    processorTimeoutSeconds: integerIn(
      'timeouts.processorSeconds',
      t.processorSeconds ?? STACK_DEFAULTS.processorTimeoutSeconds,
      1,
      900,
    ),
    invokeTimeoutMs,
  };
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

function integerIn(field: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InfraConfigError(
      field,
      `${field} is ${String(value)}; expected an integer from ${min} to ${max}`,
    );
  }
  return value;
}

function memoryOf(field: string, value: number): number {
  // Lambda's range. CPU grows with memory: a full vCPU at 1769 MB.
  return integerIn(field, value, 128, 10_240);
}

function oneOf<T extends string>(field: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InfraConfigError(
      field,
      `${field} is ${JSON.stringify(value)}; expected one of ${allowed.join(', ')}`,
    );
  }
  return value as T;
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
