import type { RemovalPolicy, StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { LocalIndexManifest } from './index-manifest.ts';

/**
 * How callers of the HTTP API prove who they are.
 * - `'iam'`: SigV4-signed requests; the caller needs `execute-api:Invoke` (the stack's invoker
 *   policy grants it). Nothing to rotate, works with every AWS SDK and `awscurl`.
 * - `'lambda'`: a Lambda request authorizer compares the `x-api-key` header with a key the stack
 *   generates in Secrets Manager. For callers without AWS credentials; the key must be handed out
 *   and rotated by hand. Decisions are cached for 5 minutes per key.
 * - `'none'`: anyone who knows the URL may query. Only for demos and test stacks; must be chosen
 *   explicitly and produces a synth warning.
 */
export type SquashAuth = 'iam' | 'lambda' | 'none';

/**
 * How handler code is packaged.
 * - `'esbuild'`: each handler in `HANDLER_ENTRIES` is bundled locally with esbuild (see
 *   `HANDLER_BUNDLE`). What deployments use.
 * - `'skip'`: every function gets a placeholder module that throws when invoked. For synth tests
 *   that check the template only, and for synthesising before the handlers exist. Never deploy it.
 */
export type SquashBundling = 'esbuild' | 'skip';

/** Log level the functions read from `SQUASH_LOG_LEVEL`. */
export type SquashLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Timeouts of the query path. Each layer must give up before its caller does. */
export interface SquashTimeouts {
  /**
   * Coordinator Lambda timeout. API Gateway HTTP APIs wait at most 30 s for an integration, so
   * anything above 29 s only means the caller sees a 503 while the coordinator keeps running.
   * @default 29
   */
  readonly coordinatorSeconds?: number;
  /** Fan-out tree node Lambda timeout. @default 28 */
  readonly fanoutSeconds?: number;
  /** Processor Lambda timeout: the longest one partition group may take. @default 25 */
  readonly processorSeconds?: number;
  /**
   * Client-side timeout of one child invocation (`SQUASH_INVOKE_TIMEOUT_MS`). Must stay below the
   * coordinator timeout so a slow partition is reported missing instead of failing the request.
   * @default 25000
   */
  readonly invokeMs?: number;
}

/** Default-stage throttling of the HTTP API (token bucket per account and stage). */
export interface SquashThrottle {
  /** Steady-state requests per second. @default 100 */
  readonly rateLimit?: number;
  /** Requests admitted at once above the steady rate. @default 200 */
  readonly burstLimit?: number;
}

/**
 * Properties of `SquashStack`. Every field is optional; the defaults deploy one processor, IAM
 * auth and a retained bucket.
 */
export interface SquashStackProps extends StackProps {
  /**
   * Index names the deployment serves. Each maps to `s3://<bucket>/<indexPrefix>/<name>` in
   * `SQUASH_INDEXES`; upload an index there with `npm run upload`.
   * @default the manifest's `name` when `manifest` is given, otherwise none (add indexes later
   *   by redeploying)
   */
  readonly indexNames?: readonly string[];
  /**
   * Key prefix under which indexes live in the bucket. Functions may read only below it.
   * @default 'indexes'
   */
  readonly indexPrefix?: string;
  /**
   * Number of partitions of the largest index served; sizes the processor fleet. Wins over the
   * manifest when both are given.
   * @default the manifest's partition count, otherwise 1
   */
  readonly partitions?: number;
  /**
   * A locally built index this deployment serves, as `readLocalIndexManifest` read it (the CDK
   * app reads `-c manifest=<dir>` before it builds the stack): its name and partition count.
   * @default none
   */
  readonly manifest?: LocalIndexManifest;
  /**
   * Partitions served by one processor function; the stack deploys
   * `ceil(partitions / partitionsPerProcessor)` processors. 1 gives every partition its own warm
   * memory (fewest cold reads, most functions); larger values pack partitions into fewer functions
   * (fewer cold starts to pay, more memory per function, less parallelism).
   * @default 1
   */
  readonly partitionsPerProcessor?: number;
  /**
   * Children a fan-out tree node invokes at most (`SQUASH_BRANCHING`). Larger trees are flatter
   * (fewer hops, lower latency) but each node waits on more children and merges more results.
   * @default 8
   */
  readonly branching?: number;
  /** Coordinator memory; Lambda CPU scales with memory. @default 1024 */
  readonly coordinatorMemoryMb?: number;
  /** Processor memory: must hold the partitions it serves plus the search working set. @default 2048 */
  readonly processorMemoryMb?: number;
  /** Fan-out tree node memory: it only invokes and merges. @default 512 */
  readonly fanoutMemoryMb?: number;
  /** @default see `SquashTimeouts` */
  readonly timeouts?: SquashTimeouts;
  /**
   * Provisioned concurrency per processor. When above 0 every processor gets an alias `live` with
   * this many pre-initialised environments, and the coordinator invokes the alias: no cold starts
   * up to that concurrency, billed whether used or not.
   * @default 0 (on demand only)
   */
  readonly provisionedConcurrency?: number;
  /** @default 'iam' */
  readonly auth?: SquashAuth;
  /** @default `{ rateLimit: 100, burstLimit: 200 }` */
  readonly throttle?: SquashThrottle;
  /**
   * What happens to the bucket and the log groups when the stack is deleted. `DESTROY` also empties
   * the bucket first (an auto-delete custom resource); use it for test stacks only.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * ARN of a principal (CI role, user) allowed to upload indexes: the stack creates a role it can
   * assume that carries the uploader policy. Without it, attach the uploader managed policy (output
   * `UploaderPolicyArn`) to whoever uploads.
   * @default none
   */
  readonly uploadPrincipalArn?: string;
  /** @default 'esbuild' */
  readonly bundling?: SquashBundling;
  /**
   * Whether to create the HTTP API. `false` deploys bucket and functions only (the coordinator is
   * then reached by Lambda Invoke), for LocalStack editions without API Gateway v2.
   * @default true
   */
  readonly httpApi?: boolean;
  /** Retention of the functions' log groups. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default 'info' */
  readonly logLevel?: SquashLogLevel;
  /**
   * Directory that `HANDLER_ENTRIES` paths and `package-lock.json` are relative to.
   * @default the repository root
   */
  readonly projectRoot?: string;
}
