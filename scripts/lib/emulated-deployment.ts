import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { API_ROUTES, ENV } from '@squash/contracts';
import { type LambdaRuntime, randomSecret, startLambdaRuntime } from '@squash/lambda-runtime';
import {
  type AwsCredentials,
  type DeployedFunction,
  type DeployedStack,
  describeDeployedStack,
  freePort,
  routeDifferences,
  routesFromTemplate,
  runCommand,
  type TemplateRoute,
} from '@squash/testkit';
import { REPO_ROOT } from '../../infra/lib/project-paths.ts';
import { parseRootUri } from './emulator-env.ts';

/** Longest any one step (a cdklocal command, the upload, the suite) may take. */
export const STEP_TIMEOUT_MS = 5 * 60 * 1000;

/** Where and as whom the emulated deployment runs. */
export interface EmulatorTarget {
  /** `http://localhost:<port>` of moto. */
  readonly endpoint: string;
  /** Environment of every child process (see `emulatorEnv`). */
  readonly env: NodeJS.ProcessEnv;
  readonly region: string;
  readonly credentials: AwsCredentials;
  /** Aborted when the run is interrupted: stops the child process of the current step. */
  readonly signal: AbortSignal;
}

/** `cdklocal bootstrap` + `cdklocal deploy`; returns the synthesised template of the stack. */
export async function deployWithCdklocal(
  target: EmulatorTarget,
  stackName: string,
  assemblyDir: string,
  context: Readonly<Record<string, string>>,
): Promise<Record<string, unknown>> {
  const cdk = (args: string[]) =>
    runCommand(
      join(REPO_ROOT, 'node_modules/.bin/cdklocal'),
      [...args, '--no-notices', '--output', assemblyDir],
      {
        cwd: REPO_ROOT,
        env: target.env,
        timeoutMs: STEP_TIMEOUT_MS,
        signal: target.signal,
      },
    );
  await cdk(['bootstrap']);
  const contextArgs = Object.entries(context).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  await cdk(['deploy', stackName, '--require-approval', 'never', ...contextArgs]);
  return JSON.parse(await readFile(join(assemblyDir, `${stackName}.template.json`), 'utf8'));
}

/** What was deployed: the API's routes, every function as GetFunction describes it, the API's function. */
export interface Deployment {
  readonly routes: readonly TemplateRoute[];
  readonly stack: DeployedStack;
  /** The function every route integrates with. */
  readonly coordinator: DeployedFunction;
}

/**
 * Reads the deployment back: routes from the template's `AWS::ApiGatewayV2::Route` resources
 * (which must carry exactly the operations of `API_ROUTES`, the table the router derives from, and
 * all integrate one function), functions from the emulator's ListStackResources and GetFunction.
 *
 * @throws Error listing every difference between the deployed routes and the route table.
 */
export async function readDeployment(
  target: EmulatorTarget,
  stackName: string,
  template: Record<string, unknown>,
  assemblyDir: string,
): Promise<Deployment> {
  const routes = routesFromTemplate(template);
  const differences = routeDifferences(routes, API_ROUTES);
  if (differences.length > 0) {
    throw new Error(`the template's routes and the route table differ:\n  ${differences.join('\n  ')}`);
  }
  const integrated = [...new Set(routes.map((r) => r.functionLogicalId))];
  if (integrated.length !== 1)
    throw new Error(`routes integrate ${integrated.join(', ')}; expected one function`);
  const clientConfig = { region: target.region, endpoint: target.endpoint, credentials: target.credentials };
  const stack = await describeDeployedStack({
    stackName,
    template,
    assemblyDir,
    cloudFormation: new CloudFormationClient(clientConfig),
    lambda: new LambdaClient(clientConfig),
  });
  const coordinator = stack.functions.find((fn) => fn.logicalId === integrated[0]);
  if (coordinator === undefined)
    throw new Error(`${integrated[0]}, the function behind the routes, was not deployed`);
  return { routes, stack, coordinator };
}

/**
 * Uploads `indexDir` with the project's own `npm run upload` below the coordinator's index root
 * (`SQUASH_INDEX_ROOT`), as `indexName`; the upload registers it there, which is how the
 * coordinator finds it.
 */
export async function uploadIndex(
  target: EmulatorTarget,
  coordinator: DeployedFunction,
  indexName: string,
  indexDir: string,
): Promise<string> {
  const root = coordinator.environment[ENV.indexRoot];
  if (root === undefined || root === '') {
    throw new Error(`${coordinator.functionName} has no index root (${ENV.indexRoot})`);
  }
  const { bucket, prefix } = parseRootUri(root);
  const args = ['--index', indexDir, '--bucket', bucket, '--prefix', prefix, '--name', indexName];
  await runCommand(process.execPath, ['--import', 'tsx', 'scripts/upload-index.ts', ...args], {
    cwd: REPO_ROOT,
    env: target.env,
    timeoutMs: STEP_TIMEOUT_MS,
    signal: target.signal,
  });
  return `${root}/${indexName}`;
}

/**
 * Runs every deployed function from its `cdk.out` asset on the local Lambda runtime, with the
 * environment, memory and timeout GetFunction returned, plus the emulated endpoints: S3 in moto,
 * Lambda in this runtime (moto's own Lambda cannot run code without Docker).
 */
export async function startDeployedFunctions(
  target: EmulatorTarget,
  stack: DeployedStack,
): Promise<LambdaRuntime> {
  const port = await freePort();
  // The Invoke API takes requests only under its per-run secret, so the workers' Lambda endpoint
  // carries it as the first path segment (chosen up front, like squash serve does).
  const secret = randomSecret();
  const runtimeUrl = `http://127.0.0.1:${port}/${secret}`;
  return startLambdaRuntime({
    port,
    secret,
    region: target.region,
    functions: stack.functions.map((fn) => ({
      name: fn.functionName,
      handlerModule: fn.handlerModule,
      handlerExport: fn.handlerExport,
      memoryMb: fn.memoryMb,
      timeoutMs: fn.timeoutSeconds * 1000,
      tsx: false,
      env: {
        ...fn.environment,
        AWS_ACCESS_KEY_ID: target.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: target.credentials.secretAccessKey,
        AWS_REGION: target.region,
        AWS_ENDPOINT_URL_S3: target.endpoint,
        AWS_ENDPOINT_URL_LAMBDA: runtimeUrl,
      },
    })),
  });
}
