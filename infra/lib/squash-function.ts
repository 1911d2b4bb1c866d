import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HANDLER_BUNDLE, nodejsBundlingOptions, prebuiltHandlerDir } from './handler-bundle.ts';
import { InfraConfigError } from './infra-config-error.ts';
import type { SquashBundling } from './squash-vector-search-props.ts';

/**
 * Where a function's code comes from: a handler module bundled by esbuild (or replaced by a
 * placeholder with bundling `'skip'`), or a small CommonJS module given inline.
 */
export type SquashFunctionCode =
  | {
      /** Handler module relative to `projectRoot`, one of `HANDLER_ENTRIES`; it must export `handler`. */
      readonly entry: string;
      /** Directory holding the entries and `package-lock.json`. */
      readonly projectRoot: string;
      readonly bundling: SquashBundling;
    }
  | {
      /** CommonJS source exporting `handler`, at most 4 KiB (Lambda's inline limit). */
      readonly inline: string;
    };

/** Properties of `SquashFunction`. */
export interface SquashFunctionProps {
  readonly code: SquashFunctionCode;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Environment variables, named by the shared `ENV` constants. */
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: logs.RetentionDays;
  /** Applies to the log group. */
  readonly removalPolicy: RemovalPolicy;
  readonly description: string;
  /**
   * Physical function name, for a function that must know its own name from its environment
   * (the compactor): CloudFormation then cannot replace the function without a new name.
   * @default a name CloudFormation generates
   */
  readonly functionName?: string;
  /**
   * Execution role, for functions that share one set of permissions (the processors).
   * @default a new role that may only write to this function's log group
   */
  readonly role?: iam.IRole;
}

/**
 * One squash Lambda function with the project's defaults: Node.js 22 on arm64 (Graviton: about 20%
 * cheaper per GB-second than x86 for the same code, and the SIMD WebAssembly kernels run on both),
 * an ES module bundle built locally by esbuild (`HANDLER_BUNDLE`), its own log group with a
 * retention that only this function may write to, invoke permissions kept in a separate policy, and
 * AWS X-Ray active tracing.
 *
 * Active tracing: Lambda samples requests (the X-Ray default rule: the first request each second,
 * then 5%) and records a segment per sampled invocation; the handlers' Powertools Tracer adds an
 * annotated subsegment and captures their `Invoke` calls, whose trace header joins the children's
 * segments to the same trace. CDK grants `xray:PutTraceSegments` and `xray:PutTelemetryRecords`
 * (resource `*`: X-Ray has no resource-level permissions for them) in the role's default policy.
 * Cost: X-Ray bills recorded and retrieved traces; unsampled invocations cost nothing.
 *
 * Invoke permissions live in their own `AWS::IAM::Policy` rather than the role's default policy:
 * a fan-out tree node may invoke its own function, and a statement naming the function's ARN in
 * the default policy (on which the function depends) would be a circular reference.
 */
export class SquashFunction extends Construct {
  readonly function: lambda.Function;
  readonly logGroup: logs.LogGroup;
  #invokePolicy: iam.Policy | undefined;

  constructor(scope: Construct, id: string, props: SquashFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    // Not AWSLambdaBasicExecutionRole: it allows writing to every log group ("*"). The log group
    // exists before the function, so CreateLogGroup is not needed either.
    const role =
      props.role ??
      new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup.grantWrite(role);
    const common: Omit<lambda.FunctionProps, 'code' | 'handler'> = {
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      environment: { ...props.environment },
      logGroup: this.logGroup,
      description: props.description,
      role,
      tracing: lambda.Tracing.ACTIVE,
      ...(props.functionName === undefined ? {} : { functionName: props.functionName }),
    };
    this.function = createFunction(this, props.code, common);
  }

  /**
   * Allows this function to call `lambda:InvokeFunction` on exactly `functionArns` (unqualified or
   * alias-qualified ARNs, as the caller will name them) and nothing else.
   */
  grantInvokeOf(functionArns: readonly string[]): void {
    const role = this.function.role;
    if (role === undefined) throw new Error(`${this.node.path} has no execution role`);
    if (this.#invokePolicy === undefined) {
      this.#invokePolicy = new iam.Policy(this, 'InvokePolicy');
      this.#invokePolicy.attachToRole(role);
    }
    this.#invokePolicy.addStatements(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [...functionArns] }),
    );
  }
}

function createFunction(
  scope: Construct,
  code: SquashFunctionCode,
  common: Omit<lambda.FunctionProps, 'code' | 'handler'>,
): lambda.Function {
  const handler = `index.${HANDLER_BUNDLE.handlerExport}`;
  if ('inline' in code) {
    return new lambda.Function(scope, 'Function', {
      ...common,
      code: lambda.Code.fromInline(code.inline),
      handler,
    });
  }
  if (code.bundling === 'skip') {
    return new lambda.Function(scope, 'Function', {
      ...common,
      code: lambda.Code.fromAsset(placeholderCodeDir()),
      handler,
    });
  }
  // An installed construct package ships the handlers prebuilt (docs/packaging.md).
  const prebuilt = prebuiltHandlerDir(code.entry);
  if (prebuilt !== undefined) {
    return new lambda.Function(scope, 'Function', {
      ...common,
      code: lambda.Code.fromAsset(prebuilt),
      handler,
    });
  }
  return new NodejsFunction(scope, 'Function', {
    ...common,
    entry: existingEntry(code.projectRoot, code.entry),
    handler: HANDLER_BUNDLE.handlerExport,
    projectRoot: code.projectRoot,
    depsLockFilePath: join(code.projectRoot, 'package-lock.json'),
    bundling: nodejsBundlingOptions(),
  });
}

function existingEntry(projectRoot: string, entry: string): string {
  const path = join(projectRoot, entry);
  if (!existsSync(path)) {
    throw new InfraConfigError(
      'bundling',
      `handler entry ${entry} does not exist under ${projectRoot}; write it, or synthesise the template only with bundling 'skip' (cdk synth -c bundling=skip)`,
    );
  }
  return path;
}

/** The module every function synthesised with bundling `'skip'` runs: its handler throws. */
const PLACEHOLDER_SOURCE =
  `export const ${HANDLER_BUNDLE.handlerExport} = async () => {\n` +
  `  throw new Error('squash: synthesised with bundling "skip", so this function has no handler code; redeploy with bundling "esbuild"');\n` +
  '};\n';

/**
 * A directory holding `PLACEHOLDER_SOURCE` as the bundle file. Its name is derived from the
 * content, so every process reuses one directory instead of leaving a new one behind, and the
 * file is written through a rename so a concurrent reader never sees it half written.
 */
function placeholderCodeDir(): string {
  const digest = createHash('sha256').update(PLACEHOLDER_SOURCE).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `squash-skip-bundle-${digest}`);
  const file = join(dir, HANDLER_BUNDLE.outputFile);
  if (existsSync(file)) return dir;
  mkdirSync(dir, { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, PLACEHOLDER_SOURCE);
  renameSync(partial, file);
  return dir;
}
