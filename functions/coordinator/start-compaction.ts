import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { CompactRequest } from '@squash/contracts';

/** Where a failed start is reported (the coordinator's logger). */
interface StartLog {
  error(message: string, fields: Record<string, unknown>): void;
}

/**
 * The write service's `onCompactionDue` hook: invokes the compactor asynchronously
 * (`InvocationType: 'Event'`, Lambda queues the event and retries it), so the write is answered
 * without waiting. Compaction is never started by a query. A start that fails is logged and left
 * to the next write past the threshold; the write itself has already been acknowledged.
 */
export function compactionStarter(
  client: LambdaClient,
  compactorFunction: string,
  log: StartLog,
): (index: string, indexUri: string) => Promise<void> {
  return async (index, indexUri) => {
    const request: CompactRequest = { kind: 'compact', index, indexUri };
    try {
      await client.send(
        new InvokeCommand({
          FunctionName: compactorFunction,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify(request)),
        }),
      );
    } catch (error) {
      log.error('could not start a compaction', {
        index,
        compactorFunction,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  };
}
