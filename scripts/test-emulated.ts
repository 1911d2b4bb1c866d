/**
 * `npm run test:emulated [-- --require]`: deploys the CDK stack into moto and runs the HTTP suite
 * through what CloudFormation created.
 *
 * 1. Starts `moto_server` on a free 127.0.0.1 port (addressed as `http://localhost:<port>`).
 * 2. `cdklocal bootstrap` + `cdklocal deploy` of stack `SquashEmulated` (default auth `iam`,
 *    sized from the quick-start index's manifest).
 * 3. Reads the stack back through the AWS APIs (ListStackResources, GetFunction): moto leaves
 *    stack Outputs empty, and the functions' environment is the truth the handlers will see. The
 *    template's routes must carry exactly the contracts' route table (`API_ROUTES`).
 * 4. Uploads the quick-start index with `npm run upload` below the coordinator's index root
 *    (`SQUASH_INDEX_ROOT`), which registers it in the root's catalog.
 * 5. Runs every deployed function from its `cdk.out/asset.*` bundle on `@squash/lambda-runtime`
 *    (moto cannot execute Lambda code without Docker).
 * 6. Starts the API Gateway bridge with the template's routes and their `AWS_IAM` authorization
 *    (moto records but does not serve HTTP APIs) and runs `infra/vitest.e2e.config.ts` through it
 *    with SigV4-signed requests; the suite also checks that an unsigned request is refused.
 * 7. Checks the write path through the same bridge (`checkWrites`): creates an index, upserts
 *    rows, finds them at once, and waits for the two compactions the writes start (the stack is
 *    deployed with a tail threshold of `EMULATED_TAIL_ROWS`): the coordinator's asynchronous
 *    invocation of the compactor and the compactor's invocations of itself.
 * 8. Stops everything it started, by PID, in a `finally` (and on SIGINT/SIGTERM).
 *
 * Without `moto_server` on PATH it prints one line and exits 0, unless `--require` is given (CI),
 * which turns the absence into a failure.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { LambdaRuntime } from '@squash/lambda-runtime';
import { buildSampleIndex } from '@squash/serve';
import {
  type ApiGatewayBridge,
  findMotoServer,
  lambdaInvoke,
  type MotoServer,
  runCommand,
  startApiGatewayBridge,
  startMotoServer,
} from '@squash/testkit';
import { REPO_ROOT } from '../infra/lib/project-paths.ts';
import {
  deployWithCdklocal,
  type EmulatorTarget,
  readDeployment,
  STEP_TIMEOUT_MS,
  startDeployedFunctions,
  uploadIndex,
} from './lib/emulated-deployment.ts';
import { checkWrites, EMULATED_TAIL_ROWS } from './lib/emulated-writes.ts';
import { emulatorEnv } from './lib/emulator-env.ts';

const STACK_NAME = 'SquashEmulated';
const INDEX_NAME = 'mnist';

/** The one line printed where moto_server is not installed. */
const MOTO_SKIP_LINE =
  'moto_server not found on PATH: skipping the emulated deployment suite (cdklocal deploy into moto, HTTP suite through the deployed functions); pip install "moto[server]==5.2.1" to run it';

/** What this run started, stopped once, in reverse order. */
class Started {
  moto: MotoServer | undefined;
  runtime: LambdaRuntime | undefined;
  bridge: ApiGatewayBridge | undefined;
  /** Aborted on stop: the child process of the step in progress (cdklocal, upload, vitest) gets SIGTERM. */
  readonly steps = new AbortController();
  #stopping: Promise<void> | undefined;

  constructor(readonly workDir: string) {}

  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.steps.abort();
      await this.bridge?.close().catch(() => {});
      await this.runtime?.stop();
      await this.moto?.stop();
      await rm(this.workDir, { recursive: true, force: true });
    })();
    return this.#stopping;
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { require: { type: 'boolean', default: false } }, strict: true });
  if (findMotoServer() === undefined) {
    if (values.require) {
      throw new Error('moto_server is not on PATH, and --require says this run must deploy into it');
    }
    console.log(MOTO_SKIP_LINE);
    return 0;
  }
  const started = new Started(await mkdtemp(join(tmpdir(), 'squash-emulated-')));
  // Interrupted (Ctrl-C, a CI job timeout): stop moto and the workers before exiting, as `finally` would.
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`${signal}: stopping moto_server and the local runtime`);
    void started.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await run(started);
  } finally {
    await started.stop();
  }
}

async function run(started: Started): Promise<number> {
  const clock = performance.now();
  const step = (what: string) =>
    console.log(`[${((performance.now() - clock) / 1000).toFixed(1)} s] ${what}`);
  const index = await buildSampleIndex(undefined, console.log);
  const moto = await startMotoServer();
  started.moto = moto;
  step(`moto_server pid ${moto.pid} at ${moto.url}`);
  const env = emulatorEnv(moto.url);
  const target: EmulatorTarget = {
    endpoint: moto.url,
    env,
    region: env.AWS_REGION!,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
    signal: started.steps.signal,
  };
  const assemblyDir = join(started.workDir, 'cdk.out');
  const context = {
    stackName: STACK_NAME,
    manifest: index.dir,
    indexName: INDEX_NAME,
    compactionTailRows: String(EMULATED_TAIL_ROWS),
  };
  const template = await deployWithCdklocal(target, STACK_NAME, assemblyDir, context);
  const deployment = await readDeployment(target, STACK_NAME, template, assemblyDir);
  step(`deployed ${STACK_NAME}; routes match the route table`);
  for (const fn of deployment.stack.functions) {
    console.log(
      `  ${fn.functionName}: ${fn.runtime}, ${fn.memoryMb} MB, ${fn.timeoutSeconds} s, ${fn.handler}`,
    );
  }
  const uri = await uploadIndex(target, deployment.coordinator, INDEX_NAME, index.dir);
  step(`uploaded the index to ${uri}`);
  const runtime = await startDeployedFunctions(target, deployment.stack);
  started.runtime = runtime;
  const { credentials, region } = target;
  const bridge = await startApiGatewayBridge({
    routes: deployment.routes,
    sigv4: { credentials: new Map([[credentials.accessKeyId, credentials]]), region },
    invoke: lambdaInvoke(
      new LambdaClient({ region, endpoint: runtime.url, credentials, maxAttempts: 1 }),
      deployment.coordinator.functionName,
    ),
  });
  started.bridge = bridge;
  step(
    `${deployment.stack.functions.length} functions on the runtime at ${runtime.url}; bridge at ${bridge.url}`,
  );
  const code = await runCommand(
    join(REPO_ROOT, 'node_modules/.bin/vitest'),
    ['run', '--config', 'infra/vitest.e2e.config.ts'],
    {
      cwd: REPO_ROOT,
      env: { ...env, SQUASH_E2E_BASE_URL: bridge.url, SQUASH_E2E_AUTH: 'iam', SQUASH_E2E_INDEX: INDEX_NAME },
      timeoutMs: STEP_TIMEOUT_MS,
      check: false,
      signal: started.steps.signal,
    },
  );
  step(`HTTP suite ${code === 0 ? 'passed' : 'FAILED'}`);
  if (code !== 0) return code;
  await checkWrites(bridge.url, region, credentials, console.log);
  step('write check passed: writes served at once, two compactions published');
  return 0;
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
