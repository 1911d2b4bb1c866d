/**
 * Sends one SigV4-signed request to the IAM-authorised squash HTTP API and prints the response:
 *
 *   npx tsx scripts/signed-request.ts GET  https://<id>.execute-api.<region>.amazonaws.com/v1/indexes
 *   npx tsx scripts/signed-request.ts POST https://.../v1/indexes/mnist/query '{"vector":[...],"topK":10}'
 *
 * Credentials come from the standard AWS chain (AWS_PROFILE, env, SSO); the caller needs
 * `execute-api:Invoke` (the stack's `InvokerPolicyArn` output). Exits 1 on a non-2xx answer.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { createFetchSigner, regionOfExecuteApiUrl } from '@squash/testkit';

async function main(): Promise<number> {
  const [method, url, body] = process.argv.slice(2);
  if (method === undefined || url === undefined) {
    console.error('usage: npx tsx scripts/signed-request.ts <GET|POST> <url> [json body]');
    return 2;
  }
  const region = regionOfExecuteApiUrl(url) ?? process.env.AWS_REGION;
  if (region === undefined) {
    console.error('cannot tell the region from the URL: set AWS_REGION');
    return 2;
  }
  const sign = createFetchSigner({ credentials: await defaultProvider()(), region });
  const init: RequestInit = {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body }),
  };
  const response = await fetch(url, await sign(url, init));
  console.log(`${response.status} ${response.statusText}`);
  console.log(await response.text());
  return response.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
