// @ts-check
/**
 * Entry point of a worker process, forked by `WorkerProcess` (with `--import tsx` when the
 * handler is TypeScript). argv: `<handlerModule absolute path> <handlerExport>`. JavaScript for
 * the reason given in `worker-support.mjs`.
 *
 * Life cycle, as in a Lambda execution environment: import the handler module once (init), say
 * `ready`, then serve `invoke` messages one at a time until the parent kills us or disconnects.
 * Module scope therefore survives between invocations (warm starts), and the first invocation
 * reports `coldStart: true`.
 */
import { pathToFileURL } from 'node:url';
import {
  callHandler,
  createLambdaContext,
  describeImportFailure,
  describeThrown,
} from './worker-support.mjs';

/** @import { FunctionErrorPayload } from './function-error.ts' */
/** @import { InvokeMessage, ParentMessage, ResultMessage, WorkerMessage } from './worker-messages.ts' */
/** @import { AnyHandler } from './worker-support.mjs' */

let servedInvocations = 0;

/**
 * @param {WorkerMessage} message
 * @param {() => void} [onSent]
 */
function send(message, onSent) {
  // Without a channel the parent is gone; nobody is left to answer.
  if (process.send === undefined || !process.connected) return;
  process.send(message, undefined, {}, onSent ?? (() => {}));
}

/**
 * Mirrors every write to stdout/stderr onto the IPC channel for the log tail, then writes it.
 * The same channel carries the result, so every line arrives before the result does.
 * @param {NodeJS.WriteStream} stream
 */
function forwardOutput(stream) {
  const write = /** @type {(...args: unknown[]) => boolean} */ (stream.write.bind(stream));
  stream.write = /** @type {typeof stream.write} */ (
    /** @param {unknown} chunk @param {unknown[]} rest */
    (chunk, ...rest) => {
      const text =
        typeof chunk === 'string' ? chunk : Buffer.from(/** @type {Uint8Array} */ (chunk)).toString('utf8');
      send({ type: 'log', text });
      return write(chunk, ...rest);
    }
  );
}

/**
 * Reports a fatal error (for the invocation in flight, if any), then exits as AWS would.
 * @param {FunctionErrorPayload} error
 */
function dieWith(error) {
  send({ type: 'fatal', error }, () => process.exit(1));
  // If the channel is gone the callback never runs.
  setTimeout(() => process.exit(1), 1_000).unref();
}

/**
 * @param {string} modulePath
 * @param {string} exportName
 * @returns {Promise<AnyHandler | undefined>}
 */
async function loadHandler(modulePath, exportName) {
  /** @type {Record<string, unknown>} */
  let moduleNamespace;
  try {
    moduleNamespace = await import(pathToFileURL(modulePath).href);
  } catch (thrown) {
    send({ type: 'init-error', error: describeImportFailure(thrown) }, () => process.exit(1));
    return undefined;
  }
  const handler = moduleNamespace[exportName];
  if (typeof handler !== 'function') {
    const error = {
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: `${modulePath}.${exportName} is undefined or not exported`,
      trace: [],
    };
    send({ type: 'init-error', error }, () => process.exit(1));
    return undefined;
  }
  return /** @type {AnyHandler} */ (handler);
}

/**
 * @param {AnyHandler} handler
 * @param {InvokeMessage} message
 */
async function invoke(handler, message) {
  if (message.fault === 'crash') process.exit(1);
  if (message.fault === 'hang') return;
  const coldStart = servedInvocations === 0;
  servedInvocations += 1;
  const context = createLambdaContext({
    awsRequestId: message.requestId,
    invokedFunctionArn: message.invokedFunctionArn,
    deadlineMs: message.deadlineMs,
    clientContext: message.clientContext === undefined ? undefined : JSON.parse(message.clientContext),
    env: process.env,
  });
  /** @type {ResultMessage['outcome']} */
  let outcome;
  try {
    const result = await callHandler(handler, JSON.parse(message.payload), context);
    // AWS answers `null` for a handler that returns nothing.
    outcome = { ok: true, payload: JSON.stringify(result) ?? 'null' };
  } catch (thrown) {
    outcome = { ok: false, error: describeThrown(thrown) };
  }
  const maxMemoryUsedMb = Math.ceil(process.resourceUsage().maxRSS / 1024);
  send({ type: 'result', requestId: message.requestId, coldStart, maxMemoryUsedMb, outcome });
}

async function main() {
  const [modulePath, exportName] = process.argv.slice(2);
  if (modulePath === undefined || exportName === undefined) {
    throw new Error('worker-entry expects argv: <handlerModule> <handlerExport>');
  }
  // The parent going away (even by SIGKILL) closes the channel: never outlive it.
  process.on('disconnect', () => process.exit(0));
  process.on('uncaughtException', (error) => dieWith(describeThrown(error)));
  process.on('unhandledRejection', (reason) =>
    dieWith({ ...describeThrown(reason), errorType: 'Runtime.UnhandledPromiseRejection' }),
  );
  forwardOutput(process.stdout);
  forwardOutput(process.stderr);
  const handler = await loadHandler(modulePath, exportName);
  if (handler === undefined) return;
  process.on('message', (/** @type {ParentMessage} */ message) => {
    if (message.type === 'invoke') void invoke(handler, message);
  });
  send({ type: 'ready' });
}

await main();
