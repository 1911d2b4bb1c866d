import { ENV, FUNCTION_NAMES, HANDLER_ENTRIES } from '@squash/contracts';
import { Duration, Names, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { IndexBucket } from './index-bucket.ts';
import { SquashFunction, type SquashFunctionCode } from './squash-function.ts';

/**
 * How Lambda treats the compactor's asynchronous invocations (a write past the tail threshold
 * starts one; `functions/coordinator/start-compaction.ts`):
 *
 * - `retryAttempts` 1 (Lambda's default is 2): a run that failed on a transient error gets one
 *   more try; one that lost the conditional `CURRENT` swap to a concurrent compaction
 *   (`PRECONDITION_FAILED`) retries from the new base, which is cheap. A run that timed out would
 *   time out again, and each try may cost the full timeout at full memory.
 * - `maxEventAgeSeconds` 3600 (Lambda's default is 6 h): an event waiting longer (throttling) is
 *   dropped. Nothing is lost: a compaction reads the log when it runs, not the event, and every
 *   later write past the threshold starts another.
 *
 * Events dropped either way show in the function's `AsyncEventsDropped` metric; failed runs in
 * `Errors` (the `CompactorErrors` alarm).
 */
export const COMPACTOR_ASYNC_INVOKE = { retryAttempts: 1, maxEventAgeSeconds: 3600 } as const;

/** Properties of `SquashCompactor`. */
export interface SquashCompactorProps {
  readonly code: SquashFunctionCode;
  readonly indexBucket: IndexBucket;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** `SQUASH_LOG_LEVEL`. */
  readonly logLevel: string;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The compactor function (`functions/compactor`): folds an index's write log into a new version.
 * It runs on asynchronous `compact` events and sends each affected partition of an incremental
 * compaction to a synchronous invocation of itself.
 *
 * Its own name: the handler reads it from `SQUASH_COMPACTOR_FUNCTION` (it does not consult
 * `AWS_LAMBDA_FUNCTION_NAME`), and an environment variable referring to the function's own `Ref`
 * would be a circular reference, so the function gets a fixed physical name, derived from its
 * construct path (`Names.uniqueResourceName`: unique per stack, at most 64 characters), and that
 * literal goes into its environment. The invoke grant names its own ARN in a policy separate from
 * the role's default policy (see `SquashFunction.grantInvokeOf`), so no resource depends on itself.
 *
 * Permissions: read, write and delete below the index prefix, list the prefix, invoke itself.
 * It opens only index URIs below the index root (`SQUASH_STORE_ROOTS`).
 */
export class SquashCompactor extends Construct {
  readonly compactor: SquashFunction;
  /** The physical function name (a literal, not a token). */
  readonly functionName: string;

  constructor(scope: Construct, id: string, props: SquashCompactorProps) {
    super(scope, id);
    this.functionName = Names.uniqueResourceName(this, { maxLength: 64, separator: '-' });
    this.compactor = new SquashFunction(this, 'Function', {
      code: props.code,
      memoryMb: props.memoryMb,
      timeoutSeconds: props.timeoutSeconds,
      functionName: this.functionName,
      environment: {
        [ENV.storeRoots]: Stack.of(this).toJsonString([props.indexBucket.rootUri()]),
        [ENV.compactorFunction]: this.functionName,
        [ENV.logLevel]: props.logLevel,
      },
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      description: `${FUNCTION_NAMES.compactor} (${HANDLER_ENTRIES.compactor})`,
    });
    const fn = this.compactor.function;
    props.indexBucket.grantReadWriteIndexes(fn);
    this.compactor.grantInvokeOf([fn.functionArn]);
    fn.configureAsyncInvoke({
      retryAttempts: COMPACTOR_ASYNC_INVOKE.retryAttempts,
      maxEventAge: Duration.seconds(COMPACTOR_ASYNC_INVOKE.maxEventAgeSeconds),
    });
  }
}
