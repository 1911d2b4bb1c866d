export type {
  ApiGatewayV2Event,
  HttpRequestParts,
  HttpResponseParts,
  SerializedEvent,
} from './api-gateway-event.ts';
export {
  flattenHeaders,
  fromFunctionResult,
  serializeEvent,
  toApiGatewayEvent,
} from './api-gateway-event.ts';
export { isLoopbackHost, randomSecret } from './endpoint-secret.ts';
export type { FunctionErrorPayload } from './function-error.ts';
export type { FunctionStats } from './function-pool.ts';
export type { LambdaContext, LambdaHandler } from './lambda-context.ts';
export {
  LOG_TAIL_BYTES,
  MAX_REQUEST_PAYLOAD_BYTES,
  MAX_RESPONSE_PAYLOAD_BYTES,
} from './lambda-limits.ts';
export type { LambdaRuntime } from './lambda-runtime.ts';
export { startLambdaRuntime } from './lambda-runtime.ts';
export type { LambdaRuntimeErrorCode } from './runtime-errors.ts';
export { InvalidOptionError, LambdaRuntimeError, UnknownFunctionError } from './runtime-errors.ts';
export type { LambdaFunctionOptions, LambdaRuntimeOptions } from './runtime-options.ts';
export type { WorkerFault } from './worker-messages.ts';
