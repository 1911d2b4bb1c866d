/**
 * An error the HTTP layer reports with its own code (see `HTTP_STATUS_BY_CODE` in contracts):
 * malformed bodies, unknown routes, limits. Engine errors (`SquashError`) keep their codes.
 */
export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}
