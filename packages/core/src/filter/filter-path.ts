import { quote } from '@squash/errors';

/** JSON-path-style locations for filter errors: `$`, `$.price.$gt`, `$.$and[1]`, `$["unit price"]`. */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export const ROOT_PATH = '$';

/** Longest key a path spells out; longer keys are cut (`quote`), so an error never echoes megabytes. */
const MAX_KEY_CHARS = 64;

export function childPath(path: string, key: string): string {
  if (IDENTIFIER.test(key) && key.length <= MAX_KEY_CHARS) return `${path}.${key}`;
  return `${path}[${quote(key, MAX_KEY_CHARS)}]`;
}

export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}
