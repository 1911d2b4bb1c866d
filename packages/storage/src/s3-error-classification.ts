/**
 * Reading AWS SDK v3 errors without depending on their classes: the SDK sets `name` to the S3
 * error code (`NoSuchKey`, `NoSuchBucket`, `InvalidRange`) and `$metadata.httpStatusCode` to the
 * HTTP status. Bodiless answers (HEAD) carry only the status and the generic name `NotFound`.
 */

/** The S3 error code, or the JS error name for network errors. */
export function errorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** HTTP status of the S3 answer, if there was one. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** NoSuchKey, or a bodiless 404 (HEAD). NoSuchBucket is a configuration error, not absence. */
export function isNoSuchKey(error: unknown): boolean {
  const name = errorName(error);
  if (name === 'NoSuchKey' || name === 'NotFound') return true;
  return httpStatus(error) === 404 && name !== 'NoSuchBucket';
}

/** 416: the range starts at or past the end of the object. */
export function isInvalidRange(error: unknown): boolean {
  return errorName(error) === 'InvalidRange' || httpStatus(error) === 416;
}
