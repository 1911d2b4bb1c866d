/**
 * Processor Lambda: searches the partitions it is asked for. Loaded partitions live in module
 * scope (inside the service), so a warm instance answers without touching the store.
 */
import type { ProcessorRequest, TreeResponse } from '@squash/contracts';
import {
  cacheBytesFor,
  createLogger,
  FormatIndexAccess,
  type LambdaContextLike,
  loadConfig,
  ProcessorService,
  StoreRoots,
  tightenDeadline,
} from '@squash/query-service';

const config = loadConfig(process.env);
const logger = createLogger('squash-processor', config.logLevel);
const memoryMb = Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
const service = new ProcessorService(new FormatIndexAccess(), undefined, {
  storeRoots: StoreRoots.of(config),
  log: logger,
  cacheMaxBytes: cacheBytesFor(
    config.partitionCacheMb,
    Number.isFinite(memoryMb) && memoryMb > 0 ? memoryMb : undefined,
  ),
});

export async function handler(event: ProcessorRequest, context?: LambdaContextLike): Promise<TreeResponse> {
  const started = Date.now();
  const request = { ...event, deadline: tightenDeadline(event.deadline, config.deadlineMarginMs, context) };
  const response = await service.handle(request);
  const fields = {
    requestId: event.requestId,
    partitions: event.work.map((w) => w.partition),
    coldStart: response.coldStarts > 0,
    bytesRead: response.bytesRead,
    latencyMs: Date.now() - started,
  };
  if (response.faults.length > 0) logger.error('processor faults', { ...fields, faults: response.faults });
  else logger.info('processor', fields);
  return response;
}
