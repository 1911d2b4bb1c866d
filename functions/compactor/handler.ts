/**
 * Compactor Lambda: folds an index's write log into a new version. Invoked asynchronously with
 * `{kind: 'compact', indexUri, index}` (by a write past the tail threshold, or by hand); it sends
 * each affected partition to a synchronous invocation of itself (`{kind: 'partition', ...}`), then
 * publishes. Store URIs outside the function's store roots are refused.
 */

import { CompactorService } from '@squash/compaction';
import {
  type CompactionReportWire,
  type CompactorRequest,
  type CompactPartitionResponse,
  ENV,
  FUNCTION_SETTINGS,
  MAX_SYNC_PAYLOAD_BYTES,
} from '@squash/contracts';
import { InvalidArgumentError } from '@squash/errors';
import { createLogger, loadConfig, StoreRoots } from '@squash/query-service';
import { openBlobStore } from '@squash/storage';
import {
  createTracer,
  instrumentInvocation,
  type LambdaInvocationContext,
  tracedLambdaInvoker,
} from '../telemetry/index.ts';

const config = loadConfig(process.env);
const logger = createLogger('squash-compactor', config.logLevel);
const tracer = createTracer('squash-compactor');
const storeRoots = StoreRoots.of(config);
const functionName = process.env[ENV.compactorFunction] || FUNCTION_SETTINGS.compactorFunction.default;
const service = new CompactorService({
  openStore: (uri) => {
    const refusal = storeRoots.refusal(uri);
    if (refusal !== undefined) throw new InvalidArgumentError('indexUri', refusal.message);
    return openBlobStore(uri);
  },
  invoker: tracedLambdaInvoker(tracer),
  functionName,
  // Headroom under the 6 MB limit for the invocation envelope.
  maxPayloadBytes: MAX_SYNC_PAYLOAD_BYTES - 64 * 1024,
});

export async function handler(
  event: CompactorRequest,
  context?: LambdaInvocationContext,
): Promise<CompactionReportWire | CompactPartitionResponse> {
  // The compaction's own id (no HTTP request started it): the index and its kind, per invocation.
  const requestId = context?.awsRequestId ?? crypto.randomUUID();
  const annotations = { index: event.index, kind: event.kind };
  return instrumentInvocation({ logger, tracer }, context, { requestId, annotations }, () => compact(event));
}

async function compact(event: CompactorRequest): Promise<CompactionReportWire | CompactPartitionResponse> {
  const started = Date.now();
  try {
    const result = await service.handle(event);
    const fields = { kind: event.kind, index: event.index, latencyMs: Date.now() - started };
    if ('mode' in result) logger.info('compaction', { ...fields, ...result });
    else
      logger.info('compaction partition', { ...fields, partition: result.entry.id, rows: result.entry.rows });
    return result;
  } catch (error) {
    logger.error('compaction failed', {
      kind: event.kind,
      index: event.index,
      code: (error as { code?: unknown }).code,
      message: (error as Error).message,
    });
    throw error;
  }
}
