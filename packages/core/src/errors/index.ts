export type { SquashErrorCode, SquashErrorOptions } from './squash-error.ts';
export {
  DimensionMismatchError,
  InvalidArgumentError,
  InvalidInputFileError,
  SquashError,
} from './squash-error.ts';
