import { RemovalPolicy } from 'aws-cdk-lib';
import { InfraConfigError } from './infra-config-error.ts';
import type { SquashStackProps } from './squash-stack-props.ts';
import type { SquashAuth, SquashBundling, SquashLogLevel } from './squash-vector-search-props.ts';

/** What `infra/bin/squash-app.ts` builds: one stack with these props. */
export interface AppStackSpec {
  readonly stackName: string;
  /** Every prop but `manifest`, which the app reads from `manifestDir` (asynchronously). */
  readonly props: SquashStackProps;
  /** `-c manifest=<dir>` or `SQUASH_MANIFEST`: the locally built index to size the stack from. */
  readonly manifestDir?: string;
}

/** Stack name when `-c stackName=` is not given. */
export const DEFAULT_STACK_NAME = 'Squash';

/**
 * CDK context keys the app reads (`cdk synth -c key=value`, or `context` in cdk.json). Each maps
 * to the `SquashStackProps` field of the same name unless noted.
 */
export const CONTEXT_KEYS = [
  'stackName',
  /** Comma-separated index names -> `indexNames` (the indexes that get an alarm). */
  'indexName',
  'indexPrefix',
  'partitions',
  /** Locally built index directory -> `manifestDir` (or env `SQUASH_MANIFEST`). */
  'manifest',
  'partitionsPerProcessor',
  'branching',
  'coordinatorMemoryMb',
  'processorMemoryMb',
  'fanoutMemoryMb',
  'compactorMemoryMb',
  'compactorTimeoutSeconds',
  'compactionTailRows',
  'requestTimeoutMs',
  'deadlineMarginMs',
  'invokeTimeoutMs',
  'provisionedConcurrency',
  'auth',
  'rateLimit',
  'burstLimit',
  /** `retain` or `destroy`. */
  'removalPolicy',
  'uploadPrincipalArn',
  'bundling',
  /** `true` or `false`. */
  'httpApi',
  'logLevel',
] as const;

/**
 * Context keys that used to set function timeouts, which now derive from `requestTimeoutMs`. Given
 * one, the app fails rather than deploying timeouts the caller did not ask for.
 */
export const REMOVED_CONTEXT_KEYS = [
  'coordinatorTimeoutSeconds',
  'fanoutTimeoutSeconds',
  'processorTimeoutSeconds',
] as const;

/**
 * Turns CDK context values (strings on the command line, JSON values in cdk.json) and the process
 * environment into the app's stack. Values are checked for type here; ranges are checked by
 * `resolveStackConfig` when the stack is built.
 *
 * @param read - `app.node.tryGetContext`
 * @throws InfraConfigError naming the context key.
 */
export function stackSpecFromContext(
  read: (key: string) => unknown,
  env: Readonly<Record<string, string | undefined>> = {},
): AppStackSpec {
  const text = (key: string): string | undefined => {
    const value = read(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
    throw new InfraConfigError(key, `context ${key} must be a string; got ${JSON.stringify(value)}`);
  };
  const int = (key: string): number | undefined => {
    const value = text(key);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value))
      throw new InfraConfigError(key, `context ${key} must be a whole number; got "${value}"`);
    return Number(value);
  };
  for (const key of REMOVED_CONTEXT_KEYS) {
    if (read(key) !== undefined) {
      throw new InfraConfigError(
        key,
        `context ${key} is no longer read; every function timeout derives from -c requestTimeoutMs (and deadlineMarginMs): coordinator ceil((R + M) / 1000) s, tree nodes and processors ceil(R / 1000) s`,
      );
    }
  }
  const throttle = { rateLimit: int('rateLimit'), burstLimit: int('burstLimit') };
  const props: SquashStackProps = dropUndefined({
    indexNames: text('indexName')
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    indexPrefix: text('indexPrefix'),
    partitions: int('partitions'),
    partitionsPerProcessor: int('partitionsPerProcessor'),
    branching: int('branching'),
    coordinatorMemoryMb: int('coordinatorMemoryMb'),
    processorMemoryMb: int('processorMemoryMb'),
    fanoutMemoryMb: int('fanoutMemoryMb'),
    compactorMemoryMb: int('compactorMemoryMb'),
    compactorTimeoutSeconds: int('compactorTimeoutSeconds'),
    compactionTailRows: int('compactionTailRows'),
    requestTimeoutMs: int('requestTimeoutMs'),
    deadlineMarginMs: int('deadlineMarginMs'),
    invokeTimeoutMs: int('invokeTimeoutMs'),
    provisionedConcurrency: int('provisionedConcurrency'),
    auth: text('auth') as SquashAuth | undefined,
    throttle: hasAny(throttle) ? dropUndefined(throttle) : undefined,
    removalPolicy: removalPolicyOf(text('removalPolicy')),
    uploadPrincipalArn: text('uploadPrincipalArn'),
    bundling: text('bundling') as SquashBundling | undefined,
    httpApi: booleanOf('httpApi', text('httpApi')),
    logLevel: text('logLevel') as SquashLogLevel | undefined,
  });
  const manifestDir = text('manifest') ?? emptyToUndefined(env.SQUASH_MANIFEST);
  return {
    stackName: text('stackName') ?? DEFAULT_STACK_NAME,
    props,
    ...(manifestDir === undefined ? {} : { manifestDir }),
  };
}

function removalPolicyOf(value: string | undefined): RemovalPolicy | undefined {
  if (value === undefined) return undefined;
  if (value === 'retain') return RemovalPolicy.RETAIN;
  if (value === 'destroy') return RemovalPolicy.DESTROY;
  throw new InfraConfigError(
    'removalPolicy',
    `context removalPolicy must be retain or destroy; got "${value}"`,
  );
}

function booleanOf(key: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InfraConfigError(key, `context ${key} must be true or false; got "${value}"`);
}

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function hasAny(record: Record<string, unknown>): boolean {
  return Object.values(record).some((v) => v !== undefined);
}

/** Removes undefined fields: the props types do not accept explicit `undefined` as "unset" everywhere. */
function dropUndefined<T extends Record<string, unknown>>(
  record: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
