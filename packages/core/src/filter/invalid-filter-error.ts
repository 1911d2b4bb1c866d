import { SquashError, type SquashErrorOptions } from '../errors/index.ts';

/**
 * A filter that cannot be accepted: malformed JSON shape, an unknown attribute or operator, a value
 * of the wrong type, or a filter beyond the size limits. Maps to HTTP 400.
 *
 * `path` locates the offending term in JSON-path style, rooted at `$`: `$.price.$gt`,
 * `$.$and[1].color`, `$.color.$in[2]`. Names that are not plain identifiers are bracketed and
 * quoted: `$["unit price"].$lt`.
 */
export class InvalidFilterError extends SquashError<'INVALID_FILTER'> {
  readonly path: string;

  constructor(path: string, message: string, options: SquashErrorOptions = {}) {
    super('INVALID_FILTER', `invalid filter at ${path}: ${message}`, options);
    this.path = path;
  }
}
