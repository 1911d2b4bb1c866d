import * as crypto from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { API_KEY_AUTHORIZER_CODE, API_KEY_SECRET_ENV } from '../lib/api-key-authorizer-code.ts';

type Handler = (event: unknown) => Promise<{ isAuthorized: boolean }>;

/**
 * Loads the inline authorizer as Lambda would (CommonJS), with a fake Secrets Manager client
 * that returns `secret` and counts its calls.
 */
function loadAuthorizer(secret: string, now: { ms: number } = { ms: 0 }) {
  const calls: unknown[] = [];
  class GetSecretValueCommand {
    constructor(readonly input: unknown) {}
  }
  class SecretsManagerClient {
    async send(command: GetSecretValueCommand) {
      calls.push(command.input);
      return { SecretString: secret };
    }
  }
  const modules: Record<string, unknown> = {
    '@aws-sdk/client-secrets-manager': { SecretsManagerClient, GetSecretValueCommand },
    'node:crypto': crypto,
  };
  const module = { exports: {} as { handler?: Handler } };
  runInNewContext(API_KEY_AUTHORIZER_CODE, {
    require: (name: string) => {
      if (!(name in modules)) throw new Error(`unexpected require(${name})`);
      return modules[name];
    },
    module,
    exports: module.exports,
    process: { env: { [API_KEY_SECRET_ENV]: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:key' } },
    Date: { now: () => now.ms },
  });
  return { handler: module.exports.handler!, calls };
}

const request = (headers: Record<string, string>) => ({ version: '2.0', type: 'REQUEST', headers });

describe('API key authorizer (inline code)', () => {
  it('fits Lambda inline code (4 KiB)', () => {
    expect(Buffer.byteLength(API_KEY_AUTHORIZER_CODE, 'utf8')).toBeLessThanOrEqual(4096);
  });

  it('authorizes a request whose x-api-key equals the secret', async () => {
    const { handler, calls } = loadAuthorizer('s3cr3t-key');
    await expect(handler(request({ 'x-api-key': 's3cr3t-key' }))).resolves.toEqual({ isAuthorized: true });
    expect(calls).toEqual([{ SecretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:key' }]);
  });

  it('rejects a wrong key, a key of another length, an empty key and a missing header', async () => {
    const { handler } = loadAuthorizer('s3cr3t-key');
    const attempts: Array<Record<string, string>> = [
      { 'x-api-key': 's3cr3t-kez' },
      { 'x-api-key': 'short' },
      { 'x-api-key': '' },
      {},
    ];
    for (const headers of attempts) {
      await expect(handler(request(headers))).resolves.toEqual({ isAuthorized: false });
    }
    await expect(handler({})).resolves.toEqual({ isAuthorized: false });
  });

  it('reads the secret once per 5 minutes', async () => {
    const now = { ms: 1_000 };
    const { handler, calls } = loadAuthorizer('k', now);
    await handler(request({ 'x-api-key': 'k' }));
    now.ms += 299_000;
    await handler(request({ 'x-api-key': 'k' }));
    expect(calls).toHaveLength(1);
    now.ms += 2_000;
    await handler(request({ 'x-api-key': 'k' }));
    expect(calls).toHaveLength(2);
  });

  it('fails closed when the secret is empty', async () => {
    const { handler } = loadAuthorizer('');
    await expect(handler(request({ 'x-api-key': 'anything' }))).rejects.toThrow(/API key secret is empty/);
  });
});
