export type { CoreErrorCode, SquashErrorOptions } from './squash-error.ts';
export { DimensionMismatchError, InvalidArgumentError, SquashError } from './squash-error.ts';
