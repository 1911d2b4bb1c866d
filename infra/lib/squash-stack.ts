import { ENV, FUNCTION_NAMES, HANDLER_ENTRIES } from '@squash/contracts';
import { Annotations, CfnOutput, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { IndexBucket } from './index-bucket.ts';
import { SquashFunction, type SquashFunctionCode } from './squash-function.ts';
import { SquashHttpApi } from './squash-http-api.ts';
import type { SquashStackProps } from './squash-stack-props.ts';
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

/**
 * The squash deployment: an index bucket, the query-path functions (coordinator, fan-out tree
 * node, one processor per partition group) and the HTTP API in front of the coordinator. The
 * stack only composes constructs; `SquashFunction` owns function defaults, `IndexBucket` the
 * storage permissions, `SquashHttpApi` routes and auth.
 *
 * The stack is environment-agnostic (no account or region is needed to synthesise it), so
 * `cdk synth` works offline; `cdk deploy` takes both from the CLI's credentials.
 *
 * Permissions (least privilege): the coordinator may invoke the fan-out function and the
 * processors and read below the index prefix; tree nodes may invoke the fan-out function and the
 * processors and read nothing; processors may only read below the index prefix. No function may
 * write to the bucket.
 */
export class SquashStack extends Stack {
  readonly config: StackConfig;
  readonly indexBucket: IndexBucket;
  readonly coordinator: SquashFunction;
  readonly fanout: SquashFunction;
  readonly processors: readonly SquashFunction[];
  readonly processorTargets: readonly ProcessorTarget[];
  /** Shared by all processors: they need identical permissions. */
  readonly processorRole: iam.Role;
  /** Absent when `httpApi` is false. */
  readonly httpApi?: SquashHttpApi;

  constructor(scope: Construct, id: string, props: SquashStackProps = {}) {
    super(scope, id, {
      description: 'squash: serverless filtered vector search (index bucket, query functions, HTTP API)',
      ...props,
    });
    const config = resolveStackConfig(props);
    this.config = config;
    this.indexBucket = new IndexBucket(this, 'Indexes', {
      indexPrefix: config.indexPrefix,
      removalPolicy: config.removalPolicy,
      ...(config.uploadPrincipalArn === undefined ? {} : { uploadPrincipalArn: config.uploadPrincipalArn }),
    });
    const sharedEnv = this.sharedEnvironment(config);
    // Tree payloads name the index URI to open; tree nodes and processors refuse any outside the
    // prefix their role may read (a caller able to invoke them cannot point them elsewhere).
    const storeRootsEnv = { [ENV.storeRoots]: this.toJsonString([this.indexBucket.rootUri()]) };

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
    const processorNames = this.toJsonString(this.processorTargets.map((t) => t.name));
    const processorArns = this.processorTargets.map((t) => t.arn);

    // Tree nodes learn the fan-out function from the FanoutRequest payload (and
    // AWS_LAMBDA_FUNCTION_NAME): an environment variable naming the function itself would be a
    // circular reference.
    this.fanout = this.createFunction('Fanout', 'fanout', config, {
      ...sharedEnv,
      ...storeRootsEnv,
      [ENV.processorFunctions]: processorNames,
    });
    this.fanout.grantInvokeOf([this.fanout.function.functionArn, ...processorArns]);

    this.coordinator = this.createFunction('Coordinator', 'coordinator', config, {
      ...sharedEnv,
      [ENV.fanoutFunction]: this.fanout.function.functionName,
      [ENV.processorFunctions]: processorNames,
    });
    this.coordinator.grantInvokeOf([this.fanout.function.functionArn, ...processorArns]);
    this.indexBucket.grantReadIndexes(this.coordinator.function);

    if (config.httpApi) {
      this.httpApi = new SquashHttpApi(this, 'HttpApi', {
        coordinator: this.coordinator.function,
        auth: config.auth,
        rateLimit: config.rateLimit,
        burstLimit: config.burstLimit,
        removalPolicy: config.removalPolicy,
        logRetention: config.logRetention,
      });
    }
    this.addOutputs(processorNames);
    this.addWarnings(config);
  }

  private sharedEnvironment(config: StackConfig): Record<string, string> {
    const indexes = Object.fromEntries(
      config.indexNames.map((name) => [name, this.indexBucket.indexUri(name)]),
    );
    return {
      [ENV.indexes]: this.toJsonString(indexes),
      [ENV.partitionsPerProcessor]: String(config.partitionsPerProcessor),
      [ENV.branching]: String(config.branching),
      [ENV.requestTimeoutMs]: String(config.requestTimeoutMs),
      [ENV.deadlineMarginMs]: String(config.deadlineMarginMs),
      [ENV.invokeTimeoutMs]: String(config.invokeTimeoutMs),
      [ENV.logLevel]: config.logLevel,
    };
  }

  private createFunction(
    id: string,
    kind: keyof typeof HANDLER_ENTRIES,
    config: StackConfig,
    environment: Record<string, string>,
    role?: iam.IRole,
  ): SquashFunction {
    const code: SquashFunctionCode = {
      entry: HANDLER_ENTRIES[kind],
      projectRoot: config.projectRoot,
      bundling: config.bundling,
    };
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

  private addOutputs(processorNames: string): void {
    if (this.httpApi !== undefined) {
      new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url, description: 'Base URL of the HTTP API' });
    }
    new CfnOutput(this, 'BucketName', {
      value: this.indexBucket.bucket.bucketName,
      description: `Index bucket; upload with npm run upload -- --bucket <this> --prefix ${this.config.indexPrefix}`,
    });
    new CfnOutput(this, 'IndexPrefix', { value: this.config.indexPrefix });
    new CfnOutput(this, 'CoordinatorFunctionName', { value: this.coordinator.function.functionName });
    new CfnOutput(this, 'FanoutFunctionName', { value: this.fanout.function.functionName });
    new CfnOutput(this, 'ProcessorFunctionNames', {
      value: processorNames,
      description: 'JSON array, in partition-group order',
    });
    new CfnOutput(this, 'UploaderPolicyArn', { value: this.indexBucket.uploaderPolicy.managedPolicyArn });
    if (this.indexBucket.uploaderRole !== undefined) {
      new CfnOutput(this, 'UploaderRoleArn', { value: this.indexBucket.uploaderRole.roleArn });
    }
    if (this.httpApi?.invokerPolicy !== undefined) {
      new CfnOutput(this, 'InvokerPolicyArn', { value: this.httpApi.invokerPolicy.managedPolicyArn });
    }
    if (this.httpApi?.apiKeySecret !== undefined) {
      new CfnOutput(this, 'ApiKeySecretArn', {
        value: this.httpApi.apiKeySecret.secretArn,
        description: 'aws secretsmanager get-secret-value --secret-id <this> --query SecretString',
      });
    }
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
