/** The subset of API Gateway HTTP API (payload format 2.0) events and results the coordinator uses. */
export interface ApiGatewayV2Event {
  readonly version?: string;
  readonly routeKey?: string;
  readonly rawPath: string;
  readonly rawQueryString?: string;
  readonly headers?: Record<string, string | undefined>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext: {
    readonly requestId?: string;
    readonly http: { readonly method: string; readonly path?: string };
  };
}

export interface ApiGatewayV2Result {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}
