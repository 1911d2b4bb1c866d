import { Tracer } from '@aws-lambda-powertools/tracer';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { LambdaInvoker } from '@squash/query-service';

/**
 * The function's Powertools `Tracer` (AWS X-Ray), created once per module.
 *
 * Tracing is on only where Lambda runs the function with active tracing (`AWS_EXECUTION_ENV` set,
 * a facade segment from `_X_AMZN_TRACE_ID`); anywhere else the Tracer turns itself off and every
 * call on it is a no-op, so the handlers run unchanged under `squash serve`, the local runtime
 * (which also sets `POWERTOOLS_TRACE_ENABLED=false`) and unit tests.
 *
 * Trade-off: the X-Ray SDK keeps the active segment in an `async_hooks` context, which it enables
 * when the module is imported, so every promise pays a small bookkeeping cost even with tracing
 * off.
 *
 * Global HTTP(S) capture (Powertools' default) is off: the AWS SDK's requests do not go through
 * the patched `http.request` of the bundle (checked: a captured `Invoke` records one `Lambda`
 * subsegment and no HTTP one), so patching would add cost and record nothing. AWS calls are traced
 * by capturing their client instead (`tracedLambdaInvoker`); the store's S3 client is not captured,
 * so S3 reads show inside the invocation's subsegment time, not as subsegments of their own.
 */
export function createTracer(serviceName: string): Tracer {
  return new Tracer({ serviceName, captureHTTPsRequests: false });
}

/**
 * A `LambdaInvoker` whose SDK client is captured by `tracer`: each `Invoke` becomes a subsegment
 * and carries the `X-Amzn-Trace-Id` header, so the invoked function's segment joins the caller's
 * trace and one request reads as one tree across coordinator, fan-out nodes and processors.
 *
 * `maxAttempts: 1` keeps `LambdaInvoker`'s contract: SDK retries stay off because the tree's retry
 * policy (`withRetry`) is the only one.
 */
export function tracedLambdaInvoker(
  tracer: Tracer,
  client = new LambdaClient({ maxAttempts: 1 }),
): LambdaInvoker {
  return new LambdaInvoker(tracer.captureAWSv3Client(client));
}
