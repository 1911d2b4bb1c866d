import { quote, RequestRejectedError } from './serve-errors.ts';

/**
 * Checks the raw path before anything routes on it, as API Gateway does: every segment must
 * percent-decode (a lone `%` or `%zz` is 400 `INVALID_PATH`, never a 500 from a `URIError`), and
 * no segment may decode to something containing `/`: `mnist%2Fquery` is one segment, so it
 * matches no route (404 `ROUTE_NOT_FOUND`) instead of being decoded into `mnist/query`.
 * Returns the error to answer, or undefined when the path is fine.
 */
export function checkRawPath(rawPath: string): RequestRejectedError | undefined {
  for (const segment of rawPath.split('/')) {
    if (!segment.includes('%')) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return new RequestRejectedError(
        'INVALID_PATH',
        `path segment ${quote(segment)} has malformed percent-encoding; allowed: % followed by two hex digits that encode UTF-8`,
      );
    }
    if (decoded.includes('/')) {
      return new RequestRejectedError(
        'ROUTE_NOT_FOUND',
        `no route for ${quote(rawPath)}: an encoded "/" (%2F) inside a segment does not separate segments; see GET /openapi.json`,
      );
    }
  }
  return undefined;
}
