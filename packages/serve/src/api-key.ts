import { createHash, timingSafeEqual } from 'node:crypto';

/** Header the key travels in, the same one the deployed stack's authorizer reads. */
export const API_KEY_HEADER = 'x-api-key';

/** Shortest key accepted: anything shorter is too easy to guess for a network-facing server. */
export const MIN_API_KEY_CHARS = 16;

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * The `x-api-key` check of `squash serve`, the same scheme as the stack's request authorizer:
 * keys compared as SHA-256 digests with `timingSafeEqual`, so timing says nothing about the key.
 */
export function apiKeyChecker(apiKey: string): (given: string | string[] | undefined) => boolean {
  const expected = digest(apiKey);
  return (given) => typeof given === 'string' && given !== '' && timingSafeEqual(digest(given), expected);
}
