/**
 * A process that hosts a runtime with one warm worker and prints `{"workerPid":N}`, then idles
 * until killed. Tests SIGKILL it to check that workers never outlive their runtime.
 */
import { startLambdaRuntime } from '../../src/index.ts';
import { fixture, invokeFunction } from './invoke-http.ts';

const runtime = await startLambdaRuntime({
  functions: [{ name: 'counter', handlerModule: fixture('counter') }],
});
const reply = await invokeFunction(runtime.url, 'counter', {});
process.stdout.write(`${JSON.stringify({ workerPid: (reply.json as { pid: number }).pid })}\n`);
setInterval(() => {}, 60_000);
