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

/**
 * 412 PreconditionFailed: a conditional PUT lost (`If-None-Match: *` on an existing key, or a
 * stale `If-Match`). 409 ConditionalRequestConflict: S3 saw a concurrent conditional write to the
 * same key and asks the caller to retry, which for our callers is the same outcome.
 */
export function isPreconditionFailed(error: unknown): boolean {
  const name = errorName(error);
  const status = httpStatus(error);
  return (
    name === 'PreconditionFailed' || name === 'ConditionalRequestConflict' || status === 412 || status === 409
  );
}
