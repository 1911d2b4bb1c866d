import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type CloudFormationClient, paginateListStackResources } from '@aws-sdk/client-cloudformation';
import { GetFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { CfnTemplate } from './template-routes.ts';

/**
 * What an emulator says it created for a stack, read back through the AWS APIs rather than from
 * the stack's Outputs (moto leaves Outputs empty after a change-set deploy).
 */

/** One deployed function as Lambda's GetFunction describes it, plus where its code is locally. */
export interface DeployedFunction {
  readonly logicalId: string;
  readonly functionName: string;
  readonly runtime: string;
  readonly handler: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly environment: Readonly<Record<string, string>>;
  /** Absolute path of the handler module inside the function's `cdk.out/asset.<hash>/` bundle. */
  readonly handlerModule: string;
  /** The export `handler` names (`index.handler` -> `handler`). */
  readonly handlerExport: string;
}

export interface DeployedStack {
  readonly stackName: string;
  /** Logical id -> physical id, for every resource the emulator reports. */
  readonly physicalIds: ReadonlyMap<string, string>;
  readonly functions: readonly DeployedFunction[];
}

export interface DescribeStackOptions {
  readonly stackName: string;
  /** The synthesised template (`cdk.out/<stack>.template.json`): it maps functions to their assets. */
  readonly template: CfnTemplate & {
    readonly Resources?: Readonly<Record<string, { readonly Metadata?: Record<string, unknown> }>>;
  };
  /** The `cdk.out` directory holding the assets. */
  readonly assemblyDir: string;
  readonly cloudFormation: CloudFormationClient;
  readonly lambda: LambdaClient;
}

/**
 * Lists the stack's resources and describes every `AWS::Lambda::Function` among them with
 * GetFunction. Code location is taken from the template's `aws:asset:path` metadata, because an
 * emulator without Docker stores no runnable code (moto returns a fake code URL).
 *
 * @throws Error naming the function whose description or bundle is missing.
 */
export async function describeDeployedStack(options: DescribeStackOptions): Promise<DeployedStack> {
  const physicalIds = new Map<string, string>();
  const functionIds: string[] = [];
  for await (const page of paginateListStackResources(
    { client: options.cloudFormation },
    { StackName: options.stackName },
  )) {
    for (const summary of page.StackResourceSummaries ?? []) {
      // moto lists the resources it skipped (ApiGatewayV2, bucket policies) with empty fields.
      if (summary.LogicalResourceId === undefined || summary.LogicalResourceId === '') continue;
      physicalIds.set(summary.LogicalResourceId, summary.PhysicalResourceId ?? '');
      if (summary.ResourceType === 'AWS::Lambda::Function') functionIds.push(summary.LogicalResourceId);
    }
  }
  if (functionIds.length === 0) throw new Error(`stack ${options.stackName} reports no Lambda functions`);
  const functions = await Promise.all(
    functionIds.map((logicalId) => describeFunction(logicalId, physicalIds.get(logicalId)!, options)),
  );
  return { stackName: options.stackName, physicalIds, functions };
}

async function describeFunction(
  logicalId: string,
  functionName: string,
  options: DescribeStackOptions,
): Promise<DeployedFunction> {
  const out = await options.lambda.send(new GetFunctionCommand({ FunctionName: functionName }));
  const config = out.Configuration;
  if (config?.Handler === undefined || config.MemorySize === undefined || config.Timeout === undefined) {
    throw new Error(`GetFunction ${functionName} (${logicalId}) returned no handler, memory or timeout`);
  }
  const assetPath = options.template.Resources?.[logicalId]?.Metadata?.['aws:asset:path'];
  if (typeof assetPath !== 'string') {
    throw new Error(
      `${logicalId} has no aws:asset:path metadata in the template: it was not built from an asset`,
    );
  }
  const dot = config.Handler.lastIndexOf('.');
  const file = config.Handler.slice(0, dot);
  const assetDir = join(options.assemblyDir, assetPath);
  const handlerModule = ['.mjs', '.js', '.cjs'].map((ext) => join(assetDir, file + ext)).find(existsSync);
  if (dot <= 0 || handlerModule === undefined) {
    throw new Error(`${logicalId}: handler ${config.Handler} names no module in ${assetDir}`);
  }
  return {
    logicalId,
    functionName,
    runtime: config.Runtime ?? 'unknown',
    handler: config.Handler,
    memoryMb: config.MemorySize,
    timeoutSeconds: config.Timeout,
    environment: { ...(config.Environment?.Variables ?? {}) },
    handlerModule,
    handlerExport: config.Handler.slice(dot + 1),
  };
}
