export { QUOTE_MAX_CHARS, quote } from './quote.ts';
export type { SquashErrorOptions } from './squash-error.ts';
export { InvalidArgumentError, SquashError } from './squash-error.ts';
