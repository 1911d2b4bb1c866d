import type { IncomingMessage } from 'node:http';

/** What became of reading a request body. */
export type BodyOutcome =
  | { readonly kind: 'body'; readonly body: Buffer }
  /** Longer than `maxBytes`; it was read to its end and dropped, so the client reads the 413. */
  | { readonly kind: 'too-large'; readonly bytes: number }
  /** Not complete within `timeoutMs`. */
  | { readonly kind: 'timeout'; readonly bytes: number }
  /** The connection closed before the body ended. */
  | { readonly kind: 'aborted' };

/**
 * Reads a body under a size limit and a deadline. The front does this before the request takes
 * an admission place, so a client trickling its body holds a socket, never a place.
 */
export function readBody(
  request: IncomingMessage,
  options: { readonly maxBytes: number; readonly timeoutMs: number },
): Promise<BodyOutcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const finish = (outcome: BodyOutcome): void => {
      clearTimeout(timer);
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onAborted);
      request.off('close', onClose);
      resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes <= options.maxBytes) chunks.push(chunk);
    };
    const onEnd = (): void =>
      finish(
        bytes > options.maxBytes
          ? { kind: 'too-large', bytes }
          : { kind: 'body', body: Buffer.concat(chunks) },
      );
    const onAborted = (): void => finish({ kind: 'aborted' });
    const onClose = (): void => {
      if (!request.complete) finish({ kind: 'aborted' });
    };
    const timer = setTimeout(() => finish({ kind: 'timeout', bytes }), options.timeoutMs);
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', onAborted);
    request.once('close', onClose);
  });
}
