import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ENV, FUNCTION_NAMES, FUNCTION_SETTINGS } from '@squash/contracts';
import { listIndexDefinitions, loadManifest, tryReadCurrentVersion } from '@squash/index-format';
import { isLoopbackHost, startLambdaRuntime } from '@squash/lambda-runtime';
import { type BlobStore, openBlobStore, type S3ClientSettings } from '@squash/storage';
import { MIN_API_KEY_CHARS } from './api-key.ts';
import { bundleHandlers, REPO_ROOT } from './bundle-handlers.ts';
import { type HttpFront, startHttpFront } from './http-front.ts';
import { StartError } from './serve-errors.ts';

/** Where `squash serve` reads its API key from when `apiKey` is not given. */
export const API_KEY_ENV = 'SQUASH_API_KEY';

/** The coordinator function that serves reads (`/health`, descriptions): its own workers. */
export const READS_COORDINATOR = `${FUNCTION_NAMES.coordinator}-reads`;

/** The internal Invoke API always listens here, whatever `host` the HTTP front has. */
const RUNTIME_HOST = '127.0.0.1';

/** The local function that runs a compaction's partition tasks (see the runtime's functions). */
const COMPACTOR_TASKS = `${FUNCTION_NAMES.compactor}-tasks`;

/** The longest a compaction may take locally (the stack gives the compactor Lambda's 15 minutes). */
const COMPACTOR_TIMEOUT_MS = 15 * 60 * 1000;

/** Partitions of each built index of the store root's catalog (0 for one with no version yet). */
async function partitionCounts(root: string, open: (uri: string) => BlobStore): Promise<number[]> {
  const definitions = await listIndexDefinitions(open(root));
  return Promise.all(
    definitions.map(async ({ name }) => {
      const store = open(`${root.replace(/\/+$/, '')}/${name}`);
      if ((await tryReadCurrentVersion(store)) === undefined) return 0;
      return (await loadManifest(store)).partitions.length;
    }),
  );
}

export interface SquashServerOptions {
  /**
   * A store root (a directory or `s3://bucket/prefix`) whose indexes are served and written:
   * every index of its catalog (`_indexes/<name>.json`), including ones created through the API
   * after start, with writes, read-your-writes queries and compaction on the local runtime's
   * compactor function. At least one of `store` and `indexes` is required.
   */
  readonly store?: string;
  /**
   * Store URIs of built indexes to serve read-only (directories or `s3://bucket/prefix`), each under
   * the name it was built with. @default none
   */
  readonly indexes?: readonly string[];
  /**
   * Processor functions at least, whatever the indexes at start need: indexes created later map
   * their partitions onto this fixed pool (by a hash of their name). @default 4
   */
  readonly minProcessors?: number;
  /**
   * Interface the HTTP front listens on. Anything but a loopback address needs `apiKey`. The
   * internal Invoke API listens on 127.0.0.1 whatever this is. @default '127.0.0.1'
   */
  readonly host?: string;
  /**
   * Key every request must carry in `x-api-key` (401 `UNAUTHORIZED` otherwise), at least 16
   * characters; required when `host` is not a loopback address. The same header the deployed
   * stack checks in auth mode `'lambda'`. @default the SQUASH_API_KEY environment variable, if set
   */
  readonly apiKey?: string;
  /** @default 8080 (0 picks a free port) */
  readonly port?: number;
  /** Partitions per processor function. @default 1 */
  readonly partitionsPerProcessor?: number;
  /** @default 8 */
  readonly branching?: number;
  /**
   * Invocations of one processor or fan-out function accepted at once (reserved concurrency);
   * past it the runtime answers 429 and the partition is reported missing. @default 64
   */
  readonly maxConcurrency?: number;
  /**
   * Worker processes per processor function. Each processor function serves its own partitions,
   * so one worker each already spreads a query over as many processes as it visits partitions;
   * more only multiplies processes (about 80 MB each) competing for the same cores. Invocations
   * past it wait for the worker. @default 1
   */
  readonly processorWorkers?: number;
  /**
   * Queries (POST) in flight at once; the HTTP front queues the rest. The coordinator gets this
   * many workers, its reads function `readsInFlight`, fan-out nodes one per core.
   * @default 2 * os.availableParallelism()
   */
  readonly maxInFlight?: number;
  /** Reads (`/health`, descriptions) in flight at once, in their own lane. @default 2 */
  readonly readsInFlight?: number;
  /** Requests the HTTP front lets wait before answering 429. @default 256 */
  readonly maxQueued?: number;
  /** Longest a request waits in the front's queue before a 429 with `Retry-After`. @default 5000 */
  readonly maxQueueWaitMs?: number;
  /** Longest a request body may take to arrive (408 past it). @default 10000 */
  readonly bodyTimeoutMs?: number;
  /**
   * The request budget R (`SQUASH_REQUEST_TIMEOUT_MS`): the coordinator answers within it, with
   * `complete: false` for partitions that did not. Function timeouts nest around it as the CDK
   * stack nests them: coordinator R + margin + 1 s, fan-out R, processors the invoke timeout
   * (their one worker must be free for a retry).
   * @default FUNCTION_SETTINGS.requestTimeoutMs.default (25000)
   */
  readonly requestTimeoutMs?: number;
  /**
   * Longest one attempt at a child invocation (`SQUASH_INVOKE_TIMEOUT_MS`); a hung processor is
   * retried once while the budget allows.
   * @default floor((requestTimeoutMs - deadline margin) / 2), room for one retry
   */
  readonly timeoutMs?: number;
  /**
   * Print what the functions print (the coordinator's CloudWatch EMF metrics line per request,
   * warnings and errors) on this process's stdout, as CloudWatch Logs would receive it; info
   * logs are silenced. @default false: function output is kept only in each invocation's log tail
   */
  readonly metrics?: boolean;
  /** Origins browsers may call the API from (`['*']` for any). @default none: CORS off */
  readonly corsOrigins?: readonly string[];
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
  /** Index name -> store URI of the read-only indexes (`options.indexes`). */
  readonly indexes: Readonly<Record<string, string>>;
  /** The served store root (`options.store`), if any. */
  readonly store: string | undefined;
  readonly processorFunctions: readonly string[];
  runtime: Awaited<ReturnType<typeof startLambdaRuntime>>;
  /** Admission lanes of the HTTP front (running and queued requests). */
  readonly front: Pick<HttpFront, 'stats'>;
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
  const host = options.host ?? '127.0.0.1';
  const apiKey = resolveApiKey(host, options.apiKey ?? process.env[API_KEY_ENV]);
  const open = (uri: string) => openBlobStore(uri, { s3: s3Settings(options.env ?? {}) });
  if (options.store === undefined && (options.indexes ?? []).length === 0) {
    throw new StartError(
      'INVALID_OPTION',
      'store',
      'nothing to serve: give a store root (--store) or built indexes (--index)',
    );
  }
  const manifests = await Promise.all(
    (options.indexes ?? []).map(async (uri) => ({ uri, manifest: await loadManifest(open(uri)) })),
  );
  const indexes = Object.fromEntries(manifests.map(({ uri, manifest }) => [manifest.name, uri]));
  const partitions = Math.max(
    ...manifests.map(({ manifest }) => manifest.partitions.length),
    ...(options.store === undefined ? [] : await partitionCounts(options.store, open)),
  );
  const perProcessor = options.partitionsPerProcessor ?? 1;
  const processorFunctions = Array.from(
    {
      length: Math.max(
        options.store === undefined ? 1 : (options.minProcessors ?? 4),
        Math.ceil(partitions / perProcessor),
      ),
    },
    (_, i) => `${FUNCTION_NAMES.processor}-${i}`,
  );
  const bundles = await bundleHandlers(options.bundleDir ?? join(REPO_ROOT, '.squash-data', 'bundles'));
  // The workers' environment names the runtime's URL, so port and secret are chosen up front.
  const runtimePort = await freePort(RUNTIME_HOST);
  const runtimeSecret = randomBytes(24).toString('base64url');
  const runtimeUrl = `http://${RUNTIME_HOST}:${runtimePort}/${runtimeSecret}`;
  const requestTimeoutMs = options.requestTimeoutMs ?? FUNCTION_SETTINGS.requestTimeoutMs.default;
  const marginMs = FUNCTION_SETTINGS.deadlineMarginMs.default;
  const invokeTimeoutMs = options.timeoutMs ?? Math.floor((requestTimeoutMs - marginMs) / 2);
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL_LAMBDA: runtimeUrl,
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    [ENV.indexes]: JSON.stringify(indexes),
    ...(options.store === undefined
      ? {}
      : { [ENV.indexRoot]: options.store, [ENV.compactorFunction]: FUNCTION_NAMES.compactor }),
    [ENV.fanoutFunction]: FUNCTION_NAMES.fanout,
    [ENV.processorFunctions]: JSON.stringify(processorFunctions),
    [ENV.partitionsPerProcessor]: String(perProcessor),
    [ENV.branching]: String(options.branching ?? 8),
    [ENV.requestTimeoutMs]: String(requestTimeoutMs),
    [ENV.deadlineMarginMs]: String(marginMs),
    [ENV.invokeTimeoutMs]: String(invokeTimeoutMs),
    ...(options.metrics === true ? { [ENV.logLevel]: 'warn' } : {}),
    ...options.env,
  };
  const cores = availableParallelism();
  const maxInFlight = options.maxInFlight ?? 2 * cores;
  const readsInFlight = options.readsInFlight ?? 2;
  const maxConcurrency = options.maxConcurrency ?? 64;
  // Timeouts nest around the request budget as on AWS: children are backstops at R, the
  // coordinator may take its margin on top (and a second to answer).
  const common = { env, maxConcurrency, timeoutMs: requestTimeoutMs, tsx: false };
  const runtime = await startLambdaRuntime({
    host: RUNTIME_HOST,
    port: runtimePort,
    secret: runtimeSecret,
    log,
    ...(options.metrics === true ? { workerOutput: 'inherit' as const } : {}),
    functions: [
      // Queries and reads reach the coordinator as two functions (like two API Gateway
      // integrations of one handler), so a read never waits for a worker a query holds.
      {
        ...common,
        name: FUNCTION_NAMES.coordinator,
        handlerModule: bundles.coordinator,
        timeoutMs: requestTimeoutMs + marginMs + 1000,
        maxConcurrency: Math.max(maxConcurrency, maxInFlight),
        maxWorkers: maxInFlight,
      },
      {
        ...common,
        name: READS_COORDINATOR,
        handlerModule: bundles.coordinator,
        timeoutMs: requestTimeoutMs + marginMs + 1000,
        maxConcurrency: Math.max(maxConcurrency, readsInFlight),
        maxWorkers: readsInFlight,
      },
      {
        ...common,
        name: FUNCTION_NAMES.fanout,
        handlerModule: bundles.fanout,
        maxWorkers: Math.min(cores, maxConcurrency),
      },
      // Compactions run in the background (started by writes past the tail threshold, or by hand).
      // A compaction waits on one invocation per rewritten partition; on AWS each gets its own
      // instance, here a worker. So partition tasks go to a function of their own: were they sent
      // to the compactor itself, concurrent compactions (two writes past the threshold) could hold
      // every worker while their tasks wait for one. Compactions run one at a time; a second waits
      // for the first (and then loses the conditional CURRENT if both folded the same entries).
      ...(options.store === undefined
        ? []
        : [
            {
              ...common,
              name: FUNCTION_NAMES.compactor,
              handlerModule: bundles.compactor,
              timeoutMs: COMPACTOR_TIMEOUT_MS,
              maxWorkers: 1,
              env: { ...env, [ENV.compactorFunction]: COMPACTOR_TASKS },
            },
            {
              ...common,
              name: COMPACTOR_TASKS,
              handlerModule: bundles.compactor,
              timeoutMs: COMPACTOR_TIMEOUT_MS,
              maxWorkers: Math.max(1, cores),
            },
          ]),
      ...processorFunctions.map((name) => ({
        ...common,
        name,
        handlerModule: bundles.processor,
        // A caller gives up on an attempt after invokeTimeoutMs and retries; here the retry needs
        // the function's one worker (on AWS it gets a fresh instance), so the attempt ends then.
        timeoutMs: invokeTimeoutMs,
        maxWorkers: Math.min(options.processorWorkers ?? 1, maxConcurrency),
      })),
    ],
  });
  let front: HttpFront;
  try {
    front = await startHttpFront({
      host,
      port: options.port ?? 8080,
      runtimeUrl,
      log,
      maxInFlight,
      readsInFlight,
      coordinatorFunctions: { queries: FUNCTION_NAMES.coordinator, reads: READS_COORDINATOR },
      ...(options.maxQueued === undefined ? {} : { maxQueued: options.maxQueued }),
      ...(options.maxQueueWaitMs === undefined ? {} : { maxQueueWaitMs: options.maxQueueWaitMs }),
      ...(options.bodyTimeoutMs === undefined ? {} : { bodyTimeoutMs: options.bodyTimeoutMs }),
      ...(apiKey === undefined ? {} : { apiKey }),
      ...(options.corsOrigins === undefined ? {} : { cors: { origins: options.corsOrigins } }),
    });
  } catch (error) {
    await runtime.stop();
    throw error;
  }
  return {
    url: front.url,
    runtimeUrl,
    indexes,
    store: options.store,
    processorFunctions,
    runtime,
    front: { stats: () => front.stats() },
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
 * The API key to require: none on loopback unless one is given; on any other interface one of at
 * least 16 characters, or the server refuses to start and says how to give one.
 */
function resolveApiKey(host: string, apiKey: string | undefined): string | undefined {
  if (apiKey !== undefined && apiKey.length < MIN_API_KEY_CHARS) {
    throw new StartError(
      'INVALID_OPTION',
      'apiKey',
      `the API key has ${apiKey.length} characters; allowed: at least ${MIN_API_KEY_CHARS}`,
    );
  }
  if (apiKey === undefined && !isLoopbackHost(host)) {
    throw new StartError(
      'API_KEY_REQUIRED',
      'host',
      `host ${JSON.stringify(host)} is not a loopback address, so squash serve requires an API key: set ${API_KEY_ENV} to a key of at least ${MIN_API_KEY_CHARS} characters (for example ${API_KEY_ENV}=$(openssl rand -hex 24)); clients then send it in the x-api-key header, as with the deployed stack`,
    );
  }
  return apiKey;
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
