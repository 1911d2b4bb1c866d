import type { LogLevel } from '@squash/contracts';
import type { RemovalPolicy } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { LocalIndexManifest } from './index-manifest.ts';

/**
 * How callers of the HTTP API prove who they are.
 * - `'iam'`: SigV4-signed requests; the caller needs `execute-api:Invoke` (the stack's invoker
 *   policy grants it). Nothing to rotate, works with every AWS SDK and `awscurl`.
 * - `'lambda'`: a Lambda request authorizer compares the `x-api-key` header with a key the stack
 *   generates in Secrets Manager. For callers without AWS credentials; the key must be handed out
 *   and rotated by hand. Decisions are cached for 5 minutes per key.
 * - `'none'`: anyone who knows the URL may query, write and delete indexes. Only for demos and
 *   test stacks; must be chosen explicitly and produces a synth warning.
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

/** Log level the functions read from `SQUASH_LOG_LEVEL` (the contracts' `LOG_LEVELS`). */
export type SquashLogLevel = LogLevel;

/** Default-stage throttling of the HTTP API (token bucket per account and stage). */
export interface SquashThrottle {
  /** Steady-state requests per second. @default 100 */
  readonly rateLimit?: number;
  /** Requests admitted at once above the steady rate. @default 200 */
  readonly burstLimit?: number;
}

/**
 * Properties of `SquashVectorSearch` (and of `SquashStack`, which holds one). Every field is
 * optional; the defaults deploy one processor, IAM auth and a retained bucket. Values are checked
 * once, when the construct is created (`resolveStackConfig`): a bad value throws
 * `InfraConfigError` naming the property, the value and what is allowed.
 */
export interface SquashVectorSearchProps {
  /**
   * Index names to watch: each gets an `IncompleteAnswers-<name>` alarm. Serving does not depend
   * on them: the coordinator serves, and accepts writes to, every index in the catalog below
   * `s3://<bucket>/<indexPrefix>` (`SQUASH_INDEX_ROOT`), found at run time, so an index created
   * through the API or uploaded with `npm run upload` (which registers it) needs no redeploy.
   * @default the manifest's `name` when `manifest` is given, otherwise none
   */
  readonly indexNames?: readonly string[];
  /**
   * Key prefix under which indexes live in the bucket: the index root. Processors and tree nodes
   * may read only below it; the coordinator and the compactor may read and write only below it.
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
  /**
   * Compactor memory. A full rebuild holds every live row of the index (vectors, attributes,
   * metadata) plus k-means and LeanVec working sets in one invocation, and CPU scales with memory
   * (about 1.7 vCPU at 3008 MB), so this bounds both the largest index it can rebuild and how long
   * a rebuild takes. Partition tasks of an incremental compaction run in invocations of the same
   * function. 128 to 10 240.
   * @default 3008
   */
  readonly compactorMemoryMb?: number;
  /**
   * Compactor timeout in seconds, at most Lambda's 900. A compaction cut off by it publishes
   * nothing (the `CURRENT` swap is its last step) and the tail keeps growing until a run finishes,
   * so keep it at the maximum unless the indexes are small.
   * @default 900
   */
  readonly compactorTimeoutSeconds?: number;
  /**
   * Rows in an index's unindexed write-log tail past which an acknowledged write starts the
   * compactor asynchronously (`SQUASH_COMPACTION_TAIL_ROWS`). Every query scans the tail exactly,
   * so a longer tail costs query latency; a shorter one compacts (and pays for a compactor run)
   * more often.
   * @default the `compactionTailRows` function setting (`FUNCTION_SETTINGS`): 20 000
   */
  readonly compactionTailRows?: number;
  /**
   * The request budget R in milliseconds (`SQUASH_REQUEST_TIMEOUT_MS`, given to every function):
   * the coordinator answers within R of starting a request, with `complete: false` and a `TIMEOUT`
   * fault for each partition that did not answer in time. Every function timeout derives from it:
   * the coordinator's is ceil((R + M) / 1000) s (it keeps one margin M to send the answer), the
   * tree nodes' and processors' ceil(R / 1000) s (a backstop: they are told to finish earlier).
   * Shorter R bounds the tail latency and cost of a stuck request; longer R lets cold processors
   * on large partitions finish. With the HTTP API, R + M + 2 s of coordinator cold start
   * (`COLD_START_ALLOWANCE_MS`) must stay below API Gateway's 30 s integration limit: at most
   * 27 499 ms with the default margin. At least 4 x `deadlineMarginMs`.
   * @default the `requestTimeoutMs` function setting (`FUNCTION_SETTINGS`): 25 000
   */
  readonly requestTimeoutMs?: number;
  /**
   * Time M in milliseconds each level of the tree keeps for itself (`SQUASH_DEADLINE_MARGIN_MS`,
   * given to every function): a node asks its children to answer one margin before its own
   * deadline. Too small turns slow transfers of large answers into `TIMEOUT` faults; too large
   * takes one margin per tree level from the processors' search time.
   * @default the `deadlineMarginMs` function setting (`FUNCTION_SETTINGS`): 500
   */
  readonly deadlineMarginMs?: number;
  /**
   * Longest single attempt at a child invocation in milliseconds (`SQUASH_INVOKE_TIMEOUT_MS`), from
   * 1.5 x M to R. The default, floor((R - M) / 2), abandons a hung child early enough to retry it
   * once on a fresh instance within the budget; each attempt then has about R / 2 - M to work,
   * and a subtree behind a fan-out node gets the same half. Choose R (no retry of a hung child; its
   * partitions come back as `TIMEOUT`) when a cold processor on your partitions needs more than
   * half the budget. Children that fail fast (throttled, crashed) are retried either way.
   * @default floor((requestTimeoutMs - deadlineMarginMs) / 2): 12 250 with the defaults
   */
  readonly invokeTimeoutMs?: number;
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
   * Where the construct's CloudWatch alarms (HTTP 5xx, incomplete answers per index, throttles,
   * processor errors, compactor errors; `SquashAlarms`) notify, on alarm and on OK.
   * @default none: the alarms exist without actions
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Origins browser pages may call the HTTP API from (`['*']` for any): API Gateway then answers
   * CORS preflights itself (before auth, as browsers send them without credentials) and adds the
   * CORS headers to responses. Allowed methods are those of the route table (GET, HEAD, POST, PUT,
   * DELETE) and OPTIONS; allowed headers are `content-type`, `x-api-key` and SigV4's.
   * @default none: CORS off
   */
  readonly corsOrigins?: readonly string[];
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
