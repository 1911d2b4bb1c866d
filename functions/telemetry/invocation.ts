import type { Logger } from '@aws-lambda-powertools/logger';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { LambdaContextLike } from '@squash/query-service';

/** The fields of the Lambda context the logger reads (all present under Lambda and the local runtime). */
export interface LambdaInvocationContext extends LambdaContextLike {
  readonly functionName?: string;
  readonly functionVersion?: string;
  readonly invokedFunctionArn?: string;
  readonly memoryLimitInMB?: string;
  readonly awsRequestId?: string;
}

/** X-Ray annotation values: indexed, so traces can be searched by them (`annotation.index = "mnist"`). */
export type TraceAnnotations = Readonly<Record<string, string | number | boolean>>;

/** What one invocation is, for its logs and its trace. */
export interface InvocationOptions {
  /** The tree request id (the coordinator's request id, carried in every tree payload). */
  readonly requestId: string;
  /** Annotations of the invocation's subsegment, besides `requestId`, `ColdStart` and `Service`. */
  readonly annotations?: TraceAnnotations;
}

/** The Powertools utilities of one handler module. */
export interface HandlerTelemetry {
  readonly logger: Logger;
  readonly tracer: Tracer;
}

/**
 * Runs one invocation of a handler with its telemetry, the manual form of Powertools'
 * `injectLambdaContext` + `captureLambdaHandler` middlewares (no middy in the bundle):
 *
 * - logs: the Lambda context joins every log line of the invocation (`function_name`,
 *   `function_request_id`, `function_arn`, `function_memory_size`, `cold_start`, `xray_trace_id`)
 *   and so does the tree `requestId`, as a temporary key removed when the invocation ends, so a
 *   warm instance never logs the previous request's id;
 * - traces: a subsegment `## <_HANDLER>` under Lambda's facade segment, annotated with
 *   `requestId`, `ColdStart`, `Service` and `annotations`; an error thrown by `run` is recorded on
 *   it and rethrown. The function's response is not added as metadata: answers can be megabytes
 *   and a segment document is limited to 64 KB.
 *
 * `context` is optional so the handlers can still be called as plain functions (tests); without
 * one the logs carry only the tree request id.
 */
export async function instrumentInvocation<T>(
  telemetry: HandlerTelemetry,
  context: LambdaInvocationContext | undefined,
  options: InvocationOptions,
  run: () => Promise<T>,
): Promise<T> {
  const { logger, tracer } = telemetry;
  // Logger's `Context` type comes from @types/aws-lambda; it reads only the fields declared above.
  if (context?.awsRequestId !== undefined) logger.addContext(context as Parameters<Logger['addContext']>[0]);
  logger.appendKeys({ requestId: options.requestId });
  const parent = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
  const subsegment = parent?.addNewSubsegment(`## ${process.env._HANDLER ?? 'handler'}`);
  if (subsegment !== undefined) {
    tracer.setSegment(subsegment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    tracer.putAnnotation('requestId', options.requestId);
    for (const [key, value] of Object.entries(options.annotations ?? {})) tracer.putAnnotation(key, value);
  }
  try {
    return await run();
  } catch (error) {
    if (subsegment !== undefined) tracer.addErrorAsMetadata(error as Error);
    throw error;
  } finally {
    if (subsegment !== undefined && parent !== undefined) {
      subsegment.close();
      tracer.setSegment(parent);
    }
    logger.resetKeys();
  }
}
