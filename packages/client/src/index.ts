export type { ClientErrorCode } from './client-error.ts';
export { SquashApiError } from './client-error.ts';
export { parseRetryAfterMs, retryDelayMs } from './retry-after.ts';
export type { AwsCredentials, CredentialProvider, SignOptions, UnsignedRequest } from './sign-request.ts';
export { sdkSigner, signRequest, toSignableRequest } from './sign-request.ts';
export type { ClientAuth, SquashClientOptions } from './squash-client.ts';
export { SquashClient } from './squash-client.ts';
