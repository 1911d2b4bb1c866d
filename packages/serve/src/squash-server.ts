import { createServer } from 'node:net';
import { join } from 'node:path';
import { ENV, FUNCTION_NAMES } from '@squash/contracts';
import { loadManifest } from '@squash/index-format';
import { startLambdaRuntime } from '@squash/lambda-runtime';
import { openBlobStore, type S3ClientSettings } from '@squash/storage';
import { bundleHandlers, REPO_ROOT } from './bundle-handlers.ts';
import { startHttpFront } from './http-front.ts';

export interface SquashServerOptions {
  /** Store URIs of the indexes to serve (directories or `s3://bucket/prefix`). */
  readonly indexes: readonly string[];
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 8080 (0 picks a free port) */
  readonly port?: number;
  /** Partitions per processor function. @default 1 */
  readonly partitionsPerProcessor?: number;
  /** @default 8 */
  readonly branching?: number;
  /** Per-function concurrency limit of the local runtime. @default 8 */
  readonly maxConcurrency?: number;
  /** Coordinator invocations in flight at once (the HTTP front queues the rest). @default 8 */
  readonly maxInFlight?: number;
  /** Requests the HTTP front lets wait before answering 429. @default 256 */
  readonly maxQueued?: number;
  /** Timeout of one processor invocation. @default 30000 */
  readonly timeoutMs?: number;
  /** Where handler bundles go. @default <repo>/.squash-data/bundles */
  readonly bundleDir?: string;
  /** One line per request and per invocation. @default silent */
  readonly log?: (line: string) => void;
  /** Extra environment for every function (S3 endpoint, credentials). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface SquashServer {
  readonly url: string;
  readonly runtimeUrl: string;
  /** Index name -> store URI. */
  readonly indexes: Readonly<Record<string, string>>;
  readonly processorFunctions: readonly string[];
  runtime: Awaited<ReturnType<typeof startLambdaRuntime>>;
  stop(): Promise<void>;
}

/**
 * Starts the embedded default: the coordinator, fan-out and processor handlers (bundled from
 * `functions/`) on the local Lambda-compatible runtime, and the HTTP front on `host:port`.
 * One processor function per `partitionsPerProcessor` partitions of the largest index, as the
 * CDK stack deploys them, so a warm worker keeps its partitions.
 */
export async function startSquashServer(options: SquashServerOptions): Promise<SquashServer> {
  const log = options.log ?? (() => {});
  const open = (uri: string) => openBlobStore(uri, { s3: s3Settings(options.env ?? {}) });
  const manifests = await Promise.all(
    options.indexes.map(async (uri) => ({ uri, manifest: await loadManifest(open(uri)) })),
  );
  const indexes = Object.fromEntries(manifests.map(({ uri, manifest }) => [manifest.name, uri]));
  const partitions = Math.max(...manifests.map(({ manifest }) => manifest.partitions.length));
  const perProcessor = options.partitionsPerProcessor ?? 1;
  const processorFunctions = Array.from(
    { length: Math.max(1, Math.ceil(partitions / perProcessor)) },
    (_, i) => `${FUNCTION_NAMES.processor}-${i}`,
  );
  const bundles = await bundleHandlers(options.bundleDir ?? join(REPO_ROOT, '.squash-data', 'bundles'));
  const runtimePort = await freePort(options.host ?? '127.0.0.1');
  const runtimeUrl = `http://${options.host ?? '127.0.0.1'}:${runtimePort}`;
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL_LAMBDA: runtimeUrl,
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    [ENV.indexes]: JSON.stringify(indexes),
    [ENV.fanoutFunction]: FUNCTION_NAMES.fanout,
    [ENV.processorFunctions]: JSON.stringify(processorFunctions),
    [ENV.partitionsPerProcessor]: String(perProcessor),
    [ENV.branching]: String(options.branching ?? 8),
    [ENV.invokeTimeoutMs]: String(options.timeoutMs ?? 30_000),
    ...options.env,
  };
  const common = {
    env,
    maxConcurrency: options.maxConcurrency ?? 8,
    timeoutMs: (options.timeoutMs ?? 30_000) + 5000,
    tsx: false,
  };
  const runtime = await startLambdaRuntime({
    host: options.host ?? '127.0.0.1',
    port: runtimePort,
    log,
    functions: [
      {
        ...common,
        name: FUNCTION_NAMES.coordinator,
        handlerModule: bundles.coordinator,
        maxConcurrency: Math.max(common.maxConcurrency, 64),
      },
      { ...common, name: FUNCTION_NAMES.fanout, handlerModule: bundles.fanout },
      ...processorFunctions.map((name) => ({
        ...common,
        name,
        handlerModule: bundles.processor,
        timeoutMs: options.timeoutMs ?? 30_000,
      })),
    ],
  });
  let front: Awaited<ReturnType<typeof startHttpFront>>;
  try {
    front = await startHttpFront({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 8080,
      runtimeUrl,
      log,
    });
  } catch (error) {
    await runtime.stop();
    throw error;
  }
  return {
    url: front.url,
    runtimeUrl,
    indexes,
    processorFunctions,
    runtime,
    async stop() {
      await new Promise<void>((resolve) => {
        front.server.close(() => resolve());
        front.server.closeAllConnections();
      });
      await runtime.stop();
    },
  };
}

/**
 * S3 settings for this process from the environment given to the functions, so the server reads
 * manifests from the same endpoint its workers use (unset values fall back to the standard AWS
 * configuration chain).
 */
function s3Settings(env: Readonly<Record<string, string>>): S3ClientSettings {
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  const region =
    env.AWS_REGION ?? process.env.AWS_REGION ?? (endpoint === undefined ? undefined : 'us-east-1');
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  return {
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(region === undefined ? {} : { region }),
    ...(accessKeyId === undefined || secretAccessKey === undefined
      ? {}
      : { credentials: { accessKeyId, secretAccessKey } }),
  };
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
