/**
 * `npm run test:emulated [-- --require]`: deploys the CDK stack into moto and runs the HTTP suite
 * through what CloudFormation created.
 *
 * 1. Starts `moto_server` on a free 127.0.0.1 port (addressed as `http://localhost:<port>`).
 * 2. `cdklocal bootstrap` + `cdklocal deploy` of stack `SquashEmulated` (default auth `iam`,
 *    sized from the quick-start index's manifest).
 * 3. Reads the stack back through the AWS APIs (ListStackResources, GetFunction): moto leaves
 *    stack Outputs empty, and the functions' environment is the truth the handlers will see.
 * 4. Uploads the quick-start index with `npm run upload` to where the functions' `SQUASH_INDEXES`
 *    points.
 * 5. Runs every deployed function from its `cdk.out/asset.*` bundle on `@squash/lambda-runtime`
 *    with the environment, memory and timeout GetFunction returned, plus the emulator endpoints
 *    (moto cannot execute Lambda code without Docker).
 * 6. Starts the API Gateway bridge with the routes of the template's `AWS::ApiGatewayV2::Route`
 *    resources (moto records but does not serve HTTP APIs), after checking that they carry exactly
 *    the operations of the contracts' route table (`API_ROUTES`, which the router derives from), and runs `infra/vitest.e2e.config.ts` through it with SigV4-signed requests.
 * 7. Stops everything it started, by PID, in a `finally`.
 *
 * Without `moto_server` on PATH it prints one line and exits 0, unless `--require` is given (CI),
 * which turns the absence into a failure.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { API_ROUTES, ENV } from '@squash/contracts';
import { type LambdaRuntime, startLambdaRuntime } from '@squash/lambda-runtime';
import { buildSampleIndex } from '@squash/serve';
import {
  type ApiGatewayBridge,
  type DeployedFunction,
  describeDeployedStack,
  findMotoServer,
  freePort,
  lambdaInvoke,
  type MotoServer,
  routeDifferences,
  routesFromTemplate,
  runCommand,
  startApiGatewayBridge,
  startMotoServer,
} from '@squash/testkit';
import { REPO_ROOT } from '../infra/lib/project-paths.ts';
import { emulatorEnv, parseIndexUri } from './lib/emulator-env.ts';

const STACK_NAME = 'SquashEmulated';
const INDEX_NAME = 'mnist';
const STEP_TIMEOUT_MS = 5 * 60 * 1000;

/** The one line printed where moto_server is not installed. */
const MOTO_SKIP_LINE =
  'moto_server not found on PATH: skipping the emulated deployment suite (cdklocal deploy into moto, HTTP suite through the deployed functions); pip install "moto[server]==5.2.1" to run it';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { require: { type: 'boolean', default: false } }, strict: true });
  if (findMotoServer() === undefined) {
    if (values.require)
      throw new Error('moto_server is not on PATH, and --require says this run must deploy into it');
    console.log(MOTO_SKIP_LINE);
    return 0;
  }
  const started = performance.now();
  const step = (what: string) =>
    console.log(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${what}`);
  const work = await mkdtemp(join(tmpdir(), 'squash-emulated-'));
  let moto: MotoServer | undefined;
  let runtime: LambdaRuntime | undefined;
  let bridge: ApiGatewayBridge | undefined;
  try {
    const index = await buildSampleIndex(undefined, console.log);
    moto = await startMotoServer();
    const motoUrl = moto.url;
    step(`moto_server pid ${moto.pid} at ${motoUrl}`);
    const env = emulatorEnv(motoUrl);
    const assemblyDir = join(work, 'cdk.out');
    const cdk = (args: string[]) =>
      runCommand(
        join(REPO_ROOT, 'node_modules/.bin/cdklocal'),
        [...args, '--no-notices', '--output', assemblyDir],
        {
          cwd: REPO_ROOT,
          env,
          timeoutMs: STEP_TIMEOUT_MS,
        },
      );
    await cdk(['bootstrap']);
    const context = { stackName: STACK_NAME, manifest: index.dir, indexName: INDEX_NAME };
    await cdk(['deploy', STACK_NAME, '--require-approval', 'never', ...contextArgs(context)]);
    step('deployed');

    const template = JSON.parse(await readFile(join(assemblyDir, `${STACK_NAME}.template.json`), 'utf8'));
    const routes = routesFromTemplate(template);
    const differences = routeDifferences(routes, API_ROUTES);
    if (differences.length > 0) {
      throw new Error(
        `the template's routes and the service's routes differ:\n  ${differences.join('\n  ')}`,
      );
    }
    const integrated = new Set(routes.map((r) => r.functionLogicalId));
    if (integrated.size !== 1)
      throw new Error(`routes integrate ${[...integrated].join(', ')}; expected one function`);
    const region = env.AWS_REGION!;
    const credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! };
    const stack = await describeDeployedStack({
      stackName: STACK_NAME,
      template,
      assemblyDir,
      cloudFormation: new CloudFormationClient({ region, endpoint: motoUrl, credentials }),
      lambda: new LambdaClient({ region, endpoint: motoUrl, credentials }),
    });
    const coordinator = stack.functions.find((fn) => fn.logicalId === [...integrated][0]);
    if (coordinator === undefined) throw new Error('the function behind the routes was not deployed');
    for (const fn of stack.functions) {
      console.log(
        `  ${fn.functionName}: ${fn.runtime} ${fn.memoryMb} MB ${fn.timeoutSeconds} s ${fn.handler}`,
      );
    }

    const location = indexLocation(coordinator);
    await runCommand(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/upload-index.ts',
        '--index',
        index.dir,
        '--bucket',
        location.bucket,
        '--prefix',
        location.prefix,
        '--name',
        location.name,
      ],
      { cwd: REPO_ROOT, env, timeoutMs: STEP_TIMEOUT_MS },
    );
    step(`uploaded the index to s3://${location.bucket}/${location.prefix}/${location.name}`);

    const runtimePort = await freePort();
    const runtimeUrl = `http://127.0.0.1:${runtimePort}`;
    runtime = await startLambdaRuntime({
      port: runtimePort,
      region,
      workerOutput: 'ignore',
      functions: stack.functions.map((fn) => ({
        name: fn.functionName,
        handlerModule: fn.handlerModule,
        handlerExport: fn.handlerExport,
        memoryMb: fn.memoryMb,
        timeoutMs: fn.timeoutSeconds * 1000,
        tsx: false,
        // What GetFunction returned, plus where the emulated services are: S3 in moto, Lambda in
        // this runtime (moto's own Lambda cannot run code without Docker).
        env: {
          ...fn.environment,
          ...credentialsOf(env),
          AWS_ENDPOINT_URL_S3: motoUrl,
          AWS_ENDPOINT_URL_LAMBDA: runtimeUrl,
        },
      })),
    });
    bridge = await startApiGatewayBridge({
      routes,
      sigv4: { credentials: new Map([[credentials.accessKeyId, credentials]]), region },
      invoke: lambdaInvoke(
        new LambdaClient({ region, endpoint: runtime.url, credentials, maxAttempts: 1 }),
        coordinator.functionName,
      ),
    });
    step(
      `${stack.functions.length} functions on the local runtime at ${runtime.url}; bridge at ${bridge.url}`,
    );

    const code = await runCommand(
      join(REPO_ROOT, 'node_modules/.bin/vitest'),
      ['run', '--config', 'infra/vitest.e2e.config.ts'],
      {
        cwd: REPO_ROOT,
        env: {
          ...env,
          SQUASH_E2E_BASE_URL: bridge.url,
          SQUASH_E2E_AUTH: 'iam',
          SQUASH_E2E_INDEX: INDEX_NAME,
        },
        timeoutMs: STEP_TIMEOUT_MS,
        check: false,
      },
    );
    step(`HTTP suite ${code === 0 ? 'passed' : 'FAILED'}`);
    return code;
  } finally {
    await bridge?.close().catch(() => {});
    await runtime?.stop();
    await moto?.stop();
    await rm(work, { recursive: true, force: true });
  }
}

/** Where the functions read the index: the coordinator's `SQUASH_INDEXES` entry for it. */
function indexLocation(coordinator: DeployedFunction): { bucket: string; prefix: string; name: string } {
  const indexes = JSON.parse(coordinator.environment[ENV.indexes] ?? '{}') as Record<string, string>;
  const uri = indexes[INDEX_NAME];
  if (uri === undefined)
    throw new Error(`${coordinator.functionName} serves no index "${INDEX_NAME}" (${ENV.indexes})`);
  return parseIndexUri(uri);
}

function credentialsOf(env: NodeJS.ProcessEnv): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID!,
    AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY!,
    AWS_REGION: env.AWS_REGION!,
  };
}

function contextArgs(values: Record<string, string>): string[] {
  return Object.entries(values).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      `emulated deployment suite failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  },
);
