import type { FaultReason, PartitionFault } from '@squash/contracts';
import { SquashError } from '@squash/errors';
import { IndexCorruptError } from '@squash/index-format';
import { InvokeError } from './invoker.ts';

/** Longest fault message carried in a tree response or an answer, in characters. */
export const FAULT_MESSAGE_MAX_CHARS = 300;

/** A fault's reason and message, before it is attached to partitions. */
export interface FaultCause {
  readonly reason: FaultReason;
  readonly message: string;
  readonly key?: string;
}

/** One fault per partition, all with the same cause. */
export function faultsFor(partitions: readonly number[], cause: FaultCause): PartitionFault[] {
  return partitions.map((partition) => ({ partition, ...cause }));
}

/**
 * The cause of a failed child invocation, as its parent sees it: the invoker's failure kind, or
 * for a function error the runtime's error type (`Function.ResponseSizeTooLarge`,
 * `Runtime.ExitError`, ...).
 */
export function invokeFailureCause(error: unknown): FaultCause {
  if (!(error instanceof InvokeError)) {
    return { reason: 'CRASHED', message: bounded(`malformed answer: ${messageOf(error)}`) };
  }
  const message = bounded(error.message);
  switch (error.kind) {
    case 'throttled':
      return { reason: 'THROTTLED', message };
    case 'timeout':
      return { reason: 'TIMEOUT', message };
    case 'function':
      return error.errorType === 'Function.ResponseSizeTooLarge'
        ? { reason: 'RESPONSE_TOO_LARGE', message }
        : { reason: 'CRASHED', message };
    default:
      return { reason: 'UNREACHABLE', message };
  }
}

/** The cause of a partition that failed to load or search inside a processor. */
export function loadFailureCause(error: unknown): FaultCause {
  if (error instanceof IndexCorruptError) {
    return { reason: 'INDEX_CORRUPT', message: bounded(error.message), key: error.key };
  }
  if (error instanceof SquashError && (error.code === 'STORAGE_ERROR' || error.code === 'BLOB_NOT_FOUND')) {
    return { reason: 'STORAGE_ERROR', message: bounded(error.message) };
  }
  return { reason: 'INTERNAL', message: bounded(messageOf(error)) };
}

/** `text` cut to `FAULT_MESSAGE_MAX_CHARS`. */
export function bounded(text: string): string {
  return text.length <= FAULT_MESSAGE_MAX_CHARS ? text : `${text.slice(0, FAULT_MESSAGE_MAX_CHARS)}...`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
