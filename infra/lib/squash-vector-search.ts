import { ENV, FUNCTION_NAMES, HANDLER_ENTRIES } from '@squash/contracts';
import { Annotations, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { IndexBucket } from './index-bucket.ts';
import { InfraConfigError } from './infra-config-error.ts';
import { type RouteAccess, routesWith } from './route-access.ts';
import { SquashAlarms } from './squash-alarms.ts';
import { SquashCompactor } from './squash-compactor.ts';
import { SquashFunction, type SquashFunctionCode } from './squash-function.ts';
import { SquashHttpApi } from './squash-http-api.ts';
import type { SquashVectorSearchProps } from './squash-vector-search-props.ts';
import { resolveStackConfig, type StackConfig } from './stack-config.ts';

/** Alias the coordinator invokes when processors have provisioned concurrency. */
export const PROCESSOR_ALIAS = 'live';

/** How the coordinator and the tree nodes name one processor function. */
export interface ProcessorTarget {
  /** Function name, alias-qualified (`name:live`) with provisioned concurrency. */
  readonly name: string;
  /** ARN of exactly what `name` invokes (the alias ARN when qualified). */
  readonly arn: string;
}

/** Stacks that already hold one: the managed policies are named after the stack. */
const STACKS_WITH_ONE = new WeakSet<Stack>();

/**
 * Serverless vector search, for any CDK app: an index bucket, the query-path functions
 * (coordinator, fan-out tree node, one processor per partition group), the compactor that folds
 * written rows into new index versions, and the HTTP API in front of the coordinator. `SquashFunction` owns the function defaults, `IndexBucket` the storage
 * permissions, `SquashHttpApi` routes and auth; this construct wires them and resolves the props
 * once (`resolveStackConfig`).
 *
 * ```ts
 * const search = new SquashVectorSearch(this, 'Search', { manifest, partitionsPerProcessor: 2 });
 * search.grantQuery(dashboardRole);
 * search.grantWrite(ingestRole);
 * new CfnOutput(this, 'SearchUrl', { value: search.apiUrl ?? '' });
 * ```
 *
 * Indexes: the coordinator serves every index in the catalog below the index root
 * `s3://<bucket>/<indexPrefix>` (`SQUASH_INDEX_ROOT`, `_indexes/<name>.json`), found at run time,
 * and accepts writes to them: an index created through the API, or uploaded and registered with
 * `npm run upload`, needs no redeploy. `indexNames` only name the indexes that get an alarm.
 *
 * Permissions (least privilege): the coordinator may invoke the fan-out function, the processors
 * and the compactor, and read, write and delete objects below the index prefix (catalog
 * definitions, write-log entries, deleted indexes); the compactor may read, write and delete below
 * the prefix and invoke itself; tree nodes may invoke the fan-out function and the processors and
 * read nothing; processors may only read below the index prefix. Only the coordinator and the
 * compactor write to the bucket, and neither outside the prefix. Tree nodes, processors and the
 * compactor open only index URIs below the root (`SQUASH_STORE_ROOTS`).
 *
 * One per stack: the uploader and invoker managed policies are named `<stack>-squash-*`. The
 * construct creates no `CfnOutput`; its outputs are the properties below (`SquashStack` exports
 * them). Handler code is bundled from the squash sources (`projectRoot`), so the app must run in a
 * checkout of this repository until prebuilt bundles ship with the package.
 */
export class SquashVectorSearch extends Construct {
  /** The props with every default applied and checked. */
  readonly config: StackConfig;
  readonly indexBucket: IndexBucket;
  /** The index bucket; upload indexes below `indexPrefix` (`npm run upload`). */
  readonly bucket: s3.IBucket;
  /** Key prefix of the indexes in `bucket`. */
  readonly indexPrefix: string;
  readonly coordinator: SquashFunction;
  readonly fanout: SquashFunction;
  readonly processors: readonly SquashFunction[];
  /** What the coordinator and tree nodes invoke, one per processor, in partition-group order. */
  readonly processorTargets: readonly ProcessorTarget[];
  /** Folds write logs into new versions; started asynchronously by writes past the tail threshold. */
  readonly compactor: SquashFunction;
  /** Shared by all processors: they need identical permissions. */
  readonly processorRole: iam.Role;
  /** Absent when `httpApi` is false. */
  readonly httpApi?: SquashHttpApi;
  /** Base URL of the HTTP API, without a trailing slash; absent when `httpApi` is false. */
  readonly apiUrl?: string;
  /** The operational alarms (`SquashAlarms`): HTTP 5xx, incomplete answers per index, throttles, processor and compactor errors. */
  readonly alarms: SquashAlarms;
  readonly coordinatorFunctionName: string;
  readonly coordinatorFunctionArn: string;
  readonly fanoutFunctionName: string;
  readonly fanoutFunctionArn: string;
  /** Processor names as invoked (alias-qualified with provisioned concurrency), in partition-group order. */
  readonly processorFunctionNames: readonly string[];
  /** ARNs of exactly what `processorFunctionNames` name. */
  readonly processorFunctionArns: readonly string[];
  /** The compactor's name; a fixed physical name chosen at synth time (see `SquashCompactor`). */
  readonly compactorFunctionName: string;
  readonly compactorFunctionArn: string;

  constructor(scope: Construct, id: string, props: SquashVectorSearchProps = {}) {
    super(scope, id);
    claimStack(this);
    const config = resolveStackConfig(props);
    this.config = config;
    this.indexBucket = new IndexBucket(this, 'Indexes', {
      indexPrefix: config.indexPrefix,
      removalPolicy: config.removalPolicy,
      ...(config.uploadPrincipalArn === undefined ? {} : { uploadPrincipalArn: config.uploadPrincipalArn }),
    });
    this.bucket = this.indexBucket.bucket;
    this.indexPrefix = config.indexPrefix;
    const stack = Stack.of(this);
    const sharedEnv = this.sharedEnvironment(config);
    // Tree payloads name the index URI to open; tree nodes and processors refuse any outside the
    // prefix their role may read (a caller able to invoke them cannot point them elsewhere).
    const storeRootsEnv = { [ENV.storeRoots]: stack.toJsonString([this.indexBucket.rootUri()]) };

    this.processorRole = new iam.Role(this, 'ProcessorRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'squash processors: read indexes, write own logs',
    });
    this.indexBucket.grantReadIndexes(this.processorRole);
    this.processors = Array.from({ length: config.processorCount }, (_, i) =>
      this.createFunction(
        `Processor${i}`,
        'processor',
        config,
        { ...sharedEnv, ...storeRootsEnv },
        this.processorRole,
      ),
    );
    this.processorTargets = this.processors.map((p) => this.processorTarget(p, config));
    this.processorFunctionNames = this.processorTargets.map((t) => t.name);
    this.processorFunctionArns = this.processorTargets.map((t) => t.arn);
    const processorNames = stack.toJsonString(this.processorFunctionNames);

    // Tree nodes learn the fan-out function from the FanoutRequest payload (and
    // AWS_LAMBDA_FUNCTION_NAME): an environment variable naming the function itself would be a
    // circular reference.
    this.fanout = this.createFunction('Fanout', 'fanout', config, {
      ...sharedEnv,
      ...storeRootsEnv,
      [ENV.processorFunctions]: processorNames,
    });
    this.fanout.grantInvokeOf([this.fanout.function.functionArn, ...this.processorFunctionArns]);

    this.compactor = new SquashCompactor(this, 'Compactor', {
      code: this.codeOf('compactor', config),
      indexBucket: this.indexBucket,
      memoryMb: config.compactorMemoryMb,
      timeoutSeconds: config.compactorTimeoutSeconds,
      logLevel: config.logLevel,
      logRetention: config.logRetention,
      removalPolicy: config.removalPolicy,
    }).compactor;
    this.compactorFunctionName = this.compactor.function.functionName;
    this.compactorFunctionArn = this.compactor.function.functionArn;

    this.coordinator = this.createFunction('Coordinator', 'coordinator', config, {
      ...sharedEnv,
      [ENV.indexRoot]: this.indexBucket.rootUri(),
      [ENV.fanoutFunction]: this.fanout.function.functionName,
      [ENV.processorFunctions]: processorNames,
      [ENV.compactorFunction]: this.compactorFunctionName,
      [ENV.compactionTailRows]: String(config.compactionTailRows),
    });
    this.coordinator.grantInvokeOf([
      this.fanout.function.functionArn,
      ...this.processorFunctionArns,
      this.compactorFunctionArn,
    ]);
    this.indexBucket.grantReadWriteIndexes(this.coordinator.function);
    this.coordinatorFunctionName = this.coordinator.function.functionName;
    this.coordinatorFunctionArn = this.coordinator.function.functionArn;
    this.fanoutFunctionName = this.fanout.function.functionName;
    this.fanoutFunctionArn = this.fanout.function.functionArn;

    if (config.httpApi) {
      this.httpApi = new SquashHttpApi(this, 'HttpApi', {
        coordinator: this.coordinator.function,
        auth: config.auth,
        rateLimit: config.rateLimit,
        burstLimit: config.burstLimit,
        corsOrigins: config.corsOrigins,
        removalPolicy: config.removalPolicy,
        logRetention: config.logRetention,
      });
      this.apiUrl = this.httpApi.url;
    }
    this.alarms = new SquashAlarms(this, 'Alarms', {
      httpApi: this.httpApi?.api,
      coordinator: this.coordinator.function,
      processors: this.processors.map((p) => p.function),
      compactor: this.compactor.function,
      indexNames: config.indexNames,
      ...(props.alarmTopic === undefined ? {} : { topic: props.alarmTopic }),
    });
    this.addWarnings(config);
  }

  /**
   * Lets `grantee` call the query routes of the HTTP API with SigV4-signed requests:
   * `execute-api:Invoke` on each route of the contracts' route table classified `'query'`
   * (`ROUTE_ACCESS`), by its public path with variables as `*`. Paths outside the route table are
   * not granted, so such a caller gets API Gateway's 403 there rather than the API's 404.
   *
   * The query routes include `fetchVectors` (reading rows by id); they never include a write route
   * (`grantWrite`).
   *
   * @throws InfraConfigError when the construct has no HTTP API (`httpApi: false`) or its auth is
   *   not `'iam'` (IAM policies are not consulted then).
   */
  grantQuery(grantee: iam.IGrantable): iam.Grant {
    return this.grantRoutes(grantee, 'query', 'grantQuery');
  }

  /**
   * Lets `grantee` call the write routes of the HTTP API with SigV4-signed requests: create and
   * delete indexes, upsert and delete rows (`routesWith('write')`), granted like `grantQuery`.
   * Writing does not imply reading: grant both to a caller that also queries.
   *
   * @throws InfraConfigError when the construct has no HTTP API (`httpApi: false`) or its auth is
   *   not `'iam'` (IAM policies are not consulted then).
   */
  grantWrite(grantee: iam.IGrantable): iam.Grant {
    return this.grantRoutes(grantee, 'write', 'grantWrite');
  }

  private grantRoutes(grantee: iam.IGrantable, access: RouteAccess, method: string): iam.Grant {
    const api = this.iamHttpApi(method);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: routesWith(access).map((route) => api.routeArn(route)),
    });
  }

  private iamHttpApi(method: string): SquashHttpApi {
    if (this.httpApi === undefined) {
      throw new InfraConfigError(
        'httpApi',
        `${method} needs the HTTP API, but httpApi is false; grant lambda:InvokeFunction on coordinatorFunctionArn instead`,
      );
    }
    if (this.config.auth !== 'iam') {
      throw new InfraConfigError(
        'auth',
        `${method} grants IAM permissions, which the HTTP API checks only with auth 'iam'; auth is '${this.config.auth}'`,
      );
    }
    return this.httpApi;
  }

  /**
   * Settings every query-path function reads. No `SQUASH_INDEXES`: every index lives below the
   * root, and a name in that static table would shadow the catalog's and be read-only.
   */
  private sharedEnvironment(config: StackConfig): Record<string, string> {
    return {
      [ENV.partitionsPerProcessor]: String(config.partitionsPerProcessor),
      [ENV.branching]: String(config.branching),
      [ENV.requestTimeoutMs]: String(config.requestTimeoutMs),
      [ENV.deadlineMarginMs]: String(config.deadlineMarginMs),
      [ENV.invokeTimeoutMs]: String(config.invokeTimeoutMs),
      [ENV.logLevel]: config.logLevel,
    };
  }

  private codeOf(kind: keyof typeof HANDLER_ENTRIES, config: StackConfig): SquashFunctionCode {
    return { entry: HANDLER_ENTRIES[kind], projectRoot: config.projectRoot, bundling: config.bundling };
  }

  private createFunction(
    id: string,
    kind: 'coordinator' | 'fanout' | 'processor',
    config: StackConfig,
    environment: Record<string, string>,
    role?: iam.IRole,
  ): SquashFunction {
    const code = this.codeOf(kind, config);
    const sizing = {
      coordinator: [config.coordinatorMemoryMb, config.coordinatorTimeoutSeconds],
      fanout: [config.fanoutMemoryMb, config.fanoutTimeoutSeconds],
      processor: [config.processorMemoryMb, config.processorTimeoutSeconds],
    } as const;
    const [memoryMb, timeoutSeconds] = sizing[kind];
    return new SquashFunction(this, id, {
      code,
      memoryMb,
      timeoutSeconds,
      environment,
      logRetention: config.logRetention,
      removalPolicy: config.removalPolicy,
      description: `${FUNCTION_NAMES[kind]} (${HANDLER_ENTRIES[kind]})`,
      ...(role === undefined ? {} : { role }),
    });
  }

  private processorTarget(processor: SquashFunction, config: StackConfig): ProcessorTarget {
    const fn = processor.function;
    if (config.provisionedConcurrency === 0) return { name: fn.functionName, arn: fn.functionArn };
    const alias = new lambda.Alias(processor, 'Live', {
      aliasName: PROCESSOR_ALIAS,
      version: fn.currentVersion,
      provisionedConcurrentExecutions: config.provisionedConcurrency,
    });
    return { name: `${fn.functionName}:${PROCESSOR_ALIAS}`, arn: alias.functionArn };
  }

  private addWarnings(config: StackConfig): void {
    if (config.partitionsDefaulted) {
      Annotations.of(this).addWarningV2(
        'squash:partitionsDefaulted',
        'no partitions and no index manifest given: deploying 1 processor. Pass -c partitions=<n> or -c manifest=<index dir>.',
      );
    }
    if (config.bundling === 'skip') {
      Annotations.of(this).addWarningV2(
        'squash:bundlingSkipped',
        "bundling is 'skip': the functions hold placeholder code that throws. Do not deploy this template.",
      );
    }
  }
}

function claimStack(search: SquashVectorSearch): void {
  const stack = Stack.of(search);
  if (STACKS_WITH_ONE.has(stack)) {
    throw new InfraConfigError(
      'scope',
      `stack ${stack.stackName} already holds a SquashVectorSearch; create at most one per stack (its managed policies are named ${stack.stackName}-squash-uploader and -invoker)`,
    );
  }
  STACKS_WITH_ONE.add(stack);
}
