/**
 * The AWS Lambda service limits this runtime enforces, with the numbers AWS uses. They are
 * constants, not options: the point of the local runtime is to fail where AWS would.
 */

/**
 * Largest synchronous Invoke request body AWS accepts (6 MiB). A larger one is refused with
 * 413 `RequestEntityTooLargeException` before any worker runs.
 */
export const MAX_REQUEST_PAYLOAD_BYTES = 6 * 1024 * 1024;

/**
 * Largest synchronous response AWS returns. AWS documents 6 MB and in practice enforces
 * 6,291,556 bytes (100 bytes above 6 MiB) and names that number in its error message, so we do
 * the same. A larger result becomes a `Function.ResponseSizeTooLarge` function error.
 */
export const MAX_RESPONSE_PAYLOAD_BYTES = 6_291_556;

/** `X-Amz-Log-Result` carries at most the last 4 KB of the invocation's log. */
export const LOG_TAIL_BYTES = 4 * 1024;

/** Grace between SIGTERM and SIGKILL when a worker is stopped or reaped. */
export const WORKER_KILL_GRACE_MS = 2_000;

/** The only qualifier served: there are no published versions or aliases locally. */
export const LATEST_VERSION = '$LATEST';
