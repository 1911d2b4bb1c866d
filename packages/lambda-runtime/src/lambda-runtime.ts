import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FunctionPool, type FunctionStats } from './function-pool.ts';
import { handleInvokeHttp, sendInternalError } from './invoke-http.ts';
import { InvalidOptionError, UnknownFunctionError } from './runtime-errors.ts';
import { type LambdaRuntimeOptions, resolveRuntimeOptions } from './runtime-options.ts';
import type { WorkerFault } from './worker-messages.ts';
import { tsxLoader } from './worker-process.ts';

/** A running local Lambda runtime. */
export interface LambdaRuntime {
  /**
   * `http://127.0.0.1:port/<secret>`: give it to the SDK as `endpoint` or
   * `AWS_ENDPOINT_URL_LAMBDA`. It carries the per-run secret; treat it as a credential.
   */
  readonly url: string;
  readonly port: number;
  /** Counters and live worker pids of one function. Throws `UnknownFunctionError` for an unknown name. */
  stats(functionName: string): FunctionStats;
  /**
   * Test hook: the next invocation of the function crashes its worker (`'crash'`, giving
   * `Runtime.ExitError`) or hangs it until the timeout kills it (`'hang'`, giving
   * `Sandbox.Timedout`), whatever the handler is. Repeated calls queue up.
   */
  injectFault(functionName: string, fault: WorkerFault): void;
  /** Resolves once no `Event` invocation is queued or running, for one function or all. */
  eventsSettled(functionName?: string): Promise<void>;
  /**
   * Stops listening, drops queued events, stops every worker (SIGTERM, then SIGKILL after 2 s)
   * and closes open connections. Resolves when every worker process has exited. Idempotent.
   */
  stop(): Promise<void>;
}

/**
 * Starts an AWS Lambda Invoke API on `host:port` serving the given functions from pools of
 * forked worker processes (see `FunctionPool`). Workers start lazily: the first invocation of a
 * function is a cold start. Always call `stop()`; running workers keep the process alive.
 *
 * @example
 * const runtime = await startLambdaRuntime({
 *   functions: [{ name: 'echo', handlerModule: '/abs/path/echo.ts' }],
 * });
 * const response = await fetch(`${runtime.url}/2015-03-31/functions/echo/invocations`, {
 *   method: 'POST',
 *   body: JSON.stringify({ hello: 'world' }),
 * });
 * await runtime.stop();
 */
export async function startLambdaRuntime(options: LambdaRuntimeOptions): Promise<LambdaRuntime> {
  const resolved = resolveRuntimeOptions(options);
  const needsTsx = resolved.functions.find((fn) => fn.tsx);
  if (needsTsx !== undefined) assertTsxAvailable(needsTsx.name);
  const pools = new Map<string, FunctionPool>();
  for (const fn of resolved.functions) {
    pools.set(
      fn.name,
      new FunctionPool(fn, {
        region: resolved.region,
        inheritEnv: resolved.inheritEnv,
        parentEnv: process.env,
        workerOutput: resolved.workerOutput,
        log: resolved.log,
      }),
    );
  }
  const functionArn = (name: string, qualifier: string | undefined): string =>
    `arn:aws:lambda:${resolved.region}:${resolved.accountId}:function:${name}${qualifier === undefined ? '' : `:${qualifier}`}`;
  const server = createServer((request, response) => {
    handleInvokeHttp(request, response, { pools, functionArn, secret: resolved.secret }).catch(
      (error: unknown) => sendInternalError(response, error),
    );
  });
  const port = await listen(server, resolved.host, resolved.port);
  const poolOf = (name: string): FunctionPool => {
    const pool = pools.get(name);
    if (pool === undefined) throw new UnknownFunctionError(name, [...pools.keys()]);
    return pool;
  };
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host}:${port}/${resolved.secret}`,
    port,
    stats: (name) => poolOf(name).stats(),
    injectFault: (name, fault) => poolOf(name).injectFault(fault),
    eventsSettled: async (name) => {
      const targets = name === undefined ? [...pools.values()] : [poolOf(name)];
      await Promise.all(targets.map((pool) => pool.whenEventsSettled()));
    },
    stop: () => {
      stopping ??= stopServer(server, [...pools.values()]);
      return stopping;
    },
  };
}

/** Fails at start rather than on the first invocation when a TypeScript handler cannot be loaded. */
function assertTsxAvailable(functionName: string): void {
  try {
    tsxLoader();
  } catch (cause) {
    throw new InvalidOptionError(
      'functions',
      `function "${functionName}" needs the tsx loader (TypeScript handler or tsx: true), but tsx cannot be resolved`,
      { cause },
    );
  }
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function stopServer(server: Server, pools: readonly FunctionPool[]): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  await Promise.all(pools.map((pool) => pool.stop()));
  // Let invocations cut short by the stop write their responses before connections go.
  await new Promise((resolve) => setImmediate(resolve));
  server.closeAllConnections();
  await closed;
}
