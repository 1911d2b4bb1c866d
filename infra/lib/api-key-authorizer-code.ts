/** Environment variable through which the authorizer finds the API key secret. */
export const API_KEY_SECRET_ENV = 'SQUASH_API_KEY_SECRET_ARN';

/** Header the authorizer reads the key from (API Gateway lower-cases header names in payload 2.0). */
export const API_KEY_HEADER = 'x-api-key';

/**
 * Source of the API-key request authorizer (auth mode `'lambda'`): a CommonJS module deployed
 * inline (`lambda.Code.fromInline`, at most 4 KiB), so it needs no bundling and no handler file.
 * It uses the AWS SDK v3 that the Node.js 22 runtime provides.
 *
 * Contract: answers `{ isAuthorized: true }` (API Gateway's simple response) when the
 * `x-api-key` header equals the secret string, `{ isAuthorized: false }` otherwise. Keys are
 * compared as SHA-256 digests with `timingSafeEqual`, so timing reveals nothing about the key.
 * The secret is cached for 5 minutes per environment: a rotated key takes up to 5 minutes here
 * plus API Gateway's 5-minute decision cache to take effect.
 */
export const API_KEY_AUTHORIZER_CODE = `'use strict';
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
const { createHash, timingSafeEqual } = require('node:crypto');
const client = new SecretsManagerClient({});
const CACHE_MS = 300000;
let cached;
const digest = (text) => createHash('sha256').update(text, 'utf8').digest();
async function expectedDigest() {
  const now = Date.now();
  if (cached !== undefined && cached.expiresAt > now) return cached.digest;
  const out = await client.send(new GetSecretValueCommand({ SecretId: process.env.${API_KEY_SECRET_ENV} }));
  if (typeof out.SecretString !== 'string' || out.SecretString === '') throw new Error('API key secret is empty');
  cached = { digest: digest(out.SecretString), expiresAt: now + CACHE_MS };
  return cached.digest;
}
exports.handler = async (event) => {
  const key = (event && event.headers && event.headers['${API_KEY_HEADER}']) || '';
  if (typeof key !== 'string' || key === '') return { isAuthorized: false };
  return { isAuthorized: timingSafeEqual(digest(key), await expectedDigest()) };
};
`;
