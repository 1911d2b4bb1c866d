import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

/**
 * The Invoke API's guard: it listens on loopback only, and every request names the per-run
 * secret as its first path segment. A path prefix rather than a header because the AWS SDK keeps
 * the path of a custom endpoint (`AWS_ENDPOINT_URL_LAMBDA=http://127.0.0.1:9001/<secret>`), so the
 * unmodified `@aws-sdk/client-lambda` in a worker carries it without any middleware; signing
 * credentials cannot serve, since workers need their real ones for S3.
 */

const SECRET = /^[A-Za-z0-9_-]{16,}$/;

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** Whether `host` is a loopback address: 127.0.0.0/8, ::1, ::ffff:127.x.x.x or `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === 'localhost') return true;
  const family = isIP(bare);
  return family !== 0 && LOOPBACK.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

export function isValidSecret(secret: unknown): secret is string {
  return typeof secret === 'string' && SECRET.test(secret);
}

/** 24 random bytes as 32 base64url characters. */
export function randomSecret(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Splits `/<secret>/rest` into the rest of the path when the secret matches (compared as SHA-256
 * digests with `timingSafeEqual`, so timing says nothing about it); `undefined` otherwise.
 */
export function stripSecret(rawUrl: string, secret: string): string | undefined {
  const slash = rawUrl.indexOf('/', 1);
  if (!rawUrl.startsWith('/') || slash < 0) return undefined;
  const given = rawUrl.slice(1, slash);
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(secret)) ? rawUrl.slice(slash) : undefined;
}
