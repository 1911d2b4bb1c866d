/**
 * `npm run test:localstack`: the HTTP API suite against the stack deployed to LocalStack.
 *
 * 1. Probes LocalStack at http://127.0.0.1:4566 (2 s). Not running: prints one line and exits 0.
 * 2. Builds the quick-start index (MNIST 10,000 x 784 with attribute `label`, `buildSampleIndex`),
 *    which the shared HTTP suite expects, or takes a prebuilt one with `--index <dir>`.
 * 3. `cdklocal bootstrap` + `cdklocal deploy` of stack `SquashLocalStack` (auth none, destroyable,
 *    sized from the index manifest). Without API Gateway v2 (LocalStack's free edition) the stack
 *    is deployed with `-c httpApi=false` and the invoke bridge stands in for API Gateway.
 * 4. Uploads the index with `copyIndex` (CURRENT last), registers it in the catalog of the index
 *    root (the coordinator serves what is registered there) and runs `infra/vitest.e2e.config.ts`.
 *
 * Flags: `--index <dir>` use a prebuilt index; `--destroy` delete the stack afterwards.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { loadManifest, registerIndex } from '@squash/index-format';
import { buildSampleIndex } from '@squash/serve';
import { createS3Client, FilesystemBlobStore, S3BlobStore } from '@squash/storage';
import {
  type ApiGatewayBridge,
  hasHttpApiSupport,
  LOCALSTACK_SKIP_LINE,
  LOCALSTACK_URL,
  lambdaInvoke,
  probeLocalStack,
  startApiGatewayBridge,
} from '@squash/testkit';
import { readLocalIndexManifest } from '../infra/lib/index-manifest.ts';
import { REPO_ROOT } from '../infra/lib/project-paths.ts';
import { copyIndex } from './lib/copy-index.ts';
import { definitionOf } from './lib/index-registration.ts';
import { stackRoutes } from './lib/stack-routes.ts';

const STACK_NAME = 'SquashLocalStack';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { index: { type: 'string' }, destroy: { type: 'boolean', default: false } },
    strict: true,
  });
  const health = await probeLocalStack();
  if (health === undefined) {
    console.log(LOCALSTACK_SKIP_LINE);
    return 0;
  }
  const withHttpApi = hasHttpApiSupport(health);
  console.log(
    `LocalStack ${health.version ?? ''} (${health.edition ?? 'unknown edition'}) at ${LOCALSTACK_URL}; ` +
      (withHttpApi
        ? 'testing through its API Gateway v2'
        : 'no API Gateway v2: testing through the invoke bridge'),
  );
  const env = localStackEnv();
  const work = await mkdtemp(join(tmpdir(), 'squash-localstack-'));
  let bridge: ApiGatewayBridge | undefined;
  try {
    const indexDir =
      values.index === undefined
        ? (await buildSampleIndex(join(work, 'mnist'), console.log)).dir
        : resolve(values.index);
    const manifest = await readLocalIndexManifest(indexDir);
    const name = manifest.name;
    const outputsFile = join(work, 'outputs.json');
    await run('cdklocal', ['bootstrap', '--no-notices'], env);
    await run(
      'cdklocal',
      [
        'deploy',
        STACK_NAME,
        '--no-notices',
        '--require-approval',
        'never',
        '--outputs-file',
        outputsFile,
        ...context({
          stackName: STACK_NAME,
          auth: 'none',
          removalPolicy: 'destroy',
          manifest: indexDir,
          indexName: name,
          httpApi: String(withHttpApi),
        }),
      ],
      env,
    );
    const outputs = (
      JSON.parse(await readFile(outputsFile, 'utf8')) as Record<string, Record<string, string>>
    )[STACK_NAME];
    if (outputs?.BucketName === undefined || outputs.CoordinatorFunctionName === undefined) {
      throw new Error(
        `cdklocal deploy wrote no BucketName/CoordinatorFunctionName outputs to ${outputsFile}`,
      );
    }
    const prefix = outputs.IndexPrefix ?? 'indexes';
    const source = new FilesystemBlobStore({ rootDir: indexDir });
    const client = createS3Client();
    await copyIndex({
      source,
      target: new S3BlobStore({ bucket: outputs.BucketName, prefix: `${prefix}/${name}`, client }),
    });
    // The coordinator serves the indexes registered below its index root.
    await registerIndex(
      new S3BlobStore({ bucket: outputs.BucketName, prefix, client }),
      definitionOf(name, await loadManifest(source, manifest.version)),
    );
    console.log(`uploaded ${indexDir} to s3://${outputs.BucketName}/${prefix}/${name} and registered it`);
    let baseUrl = outputs.ApiUrl;
    if (!withHttpApi || baseUrl === undefined) {
      bridge = await startCoordinatorBridge(outputs.CoordinatorFunctionName);
      baseUrl = bridge.url;
    }
    const code = await run(
      'npx',
      ['vitest', 'run', '--config', 'infra/vitest.e2e.config.ts'],
      {
        ...env,
        SQUASH_E2E_BASE_URL: baseUrl,
        SQUASH_E2E_AUTH: 'none',
        SQUASH_E2E_INDEX: name,
      },
      false,
    );
    if (values.destroy)
      await run('cdklocal', ['destroy', STACK_NAME, '--force', ...context({ stackName: STACK_NAME })], env);
    return code;
  } finally {
    await bridge?.close();
    await rm(work, { recursive: true, force: true });
  }
}

/** Credentials and endpoints every child process and SDK client uses to reach LocalStack. */
function localStackEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'test',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'test',
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION ?? process.env.AWS_REGION ?? 'us-east-1',
    AWS_ENDPOINT_URL: LOCALSTACK_URL,
    AWS_ENDPOINT_URL_S3: LOCALSTACK_URL,
    CDK_DISABLE_CLI_TELEMETRY: 'true',
  };
  // The SDK clients of this process read the same settings.
  Object.assign(process.env, env);
  return env;
}

/**
 * The API Gateway bridge in front of the deployed coordinator, with the routes the stack's HTTP
 * API would have (auth none, as deployed here), invoking through LocalStack's Lambda.
 */
async function startCoordinatorBridge(functionName: string): Promise<ApiGatewayBridge> {
  return startApiGatewayBridge({
    routes: stackRoutes('none'),
    invoke: lambdaInvoke(new LambdaClient({ endpoint: LOCALSTACK_URL, maxAttempts: 1 }), functionName),
  });
}

function context(values: Record<string, string>): string[] {
  return Object.entries(values).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
}

/** Runs a command from the repository root with inherited output; rejects on a non-zero exit unless `check` is false. */
function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  check = true,
): Promise<number> {
  const bin = join(REPO_ROOT, 'node_modules/.bin', command);
  const executable = existsSync(bin) ? bin : command;
  console.log(`$ ${command} ${args.join(' ')}`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(executable, args, { cwd: REPO_ROOT, env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const status = code ?? (signal === null ? 1 : 128);
      if (check && status !== 0)
        reject(new Error(`${command} ${args[0] ?? ''} exited with ${signal ?? status}`));
      else resolvePromise(status);
    });
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`LocalStack suite failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
