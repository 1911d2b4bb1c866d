import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { Invoke } from './api-gateway-bridge.ts';

/**
 * The bridge's `invoke` as a real Lambda Invoke (RequestResponse) of `functionName` through
 * `client`, whose endpoint names the Lambda API (LocalStack, or the local runtime running what
 * moto deployed). A throttled or failed Invoke call surfaces as a function error, which the bridge
 * answers with 500 as API Gateway does.
 */
export function lambdaInvoke(client: LambdaClient, functionName: string): Invoke {
  return async (event) => {
    try {
      const out = await client.send(
        new InvokeCommand({
          FunctionName: functionName,
          Payload: new TextEncoder().encode(JSON.stringify(event)),
        }),
      );
      return {
        ...(out.Payload === undefined ? {} : { payload: out.Payload }),
        ...(out.FunctionError === undefined ? {} : { functionError: out.FunctionError }),
      };
    } catch (error) {
      console.error(`invoke ${functionName} failed: ${(error as Error).message}`);
      return { functionError: (error as Error).name };
    }
  };
}
