import {
  type ApiGatewayV2Event,
  toApiGatewayEvent as buildEvent,
  fromFunctionResult,
} from '@squash/lambda-runtime';
import type { RouteMatch } from './api-gateway-routes.ts';

/** What a Lambda Invoke of the integration returned. */
export interface InvokeResult {
  /** The function's response payload (JSON). */
  readonly payload?: Uint8Array;
  /** Set when the function threw or timed out (Lambda's `FunctionError`). */
  readonly functionError?: string;
}

/** The payload-2.0 event API Gateway sends an HTTP API's Lambda integration. */
export type ApiGatewayEvent = ApiGatewayV2Event;

/** An HTTP response as API Gateway sends it. */
export interface GatewayResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** One HTTP request, already read. */
export interface GatewayRequest {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
  /** Lower-case names. */
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly match: RouteMatch;
  readonly now: Date;
  readonly requestId: string;
}

/**
 * The event API Gateway would send for this request: `@squash/lambda-runtime`'s translation, the
 * one `squash serve`'s front uses too, with the route the bridge matched.
 */
export function toApiGatewayEvent(request: GatewayRequest): ApiGatewayEvent {
  return buildEvent({
    method: request.method,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    headers: request.headers,
    body: request.body,
    sourceIp: request.sourceIp,
    requestId: request.requestId,
    now: request.now,
    route: { routeKey: request.match.route.routeKey, pathParameters: request.match.pathParameters },
    apiId: 'api-gateway-bridge',
  });
}

/**
 * Maps an invocation result to HTTP the way API Gateway does for payload 2.0
 * (`fromFunctionResult`); a function error or a payload that is not JSON is API Gateway's 500
 * `{"message":"Internal Server Error"}`.
 */
export function toGatewayResponse(result: InvokeResult): GatewayResponse {
  const parts =
    result.payload === undefined
      ? undefined
      : fromFunctionResult(Buffer.from(result.payload).toString('utf8'), result.functionError !== undefined);
  return parts ?? gatewayMessage(500, 'Internal Server Error');
}

/** API Gateway's own error shape: `{"message": "..."}`. */
export function gatewayMessage(statusCode: number, message: string): GatewayResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ message })),
  };
}
