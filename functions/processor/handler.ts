/**
 * Processor Lambda: searches the partitions it is asked for. Loaded partitions live in module
 * scope (inside the service), so a warm instance answers without touching the store.
 */
import type { ProcessorRequest, TreeResponse } from '@squash/contracts';
import {
  cacheBytesFor,
  createLogger,
  FormatIndexAccess,
  loadConfig,
  ProcessorService,
  StoreRoots,
  tightenDeadline,
} from '@squash/query-service';
import { createTracer, instrumentInvocation, type LambdaInvocationContext } from '../telemetry/index.ts';

const config = loadConfig(process.env);
const logger = createLogger('squash-processor', config.logLevel);
const tracer = createTracer('squash-processor');
const memoryMb = Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
const service = new ProcessorService(new FormatIndexAccess(), undefined, {
  storeRoots: StoreRoots.of(config),
  log: logger,
  cacheMaxBytes: cacheBytesFor(
    config.partitionCacheMb,
    Number.isFinite(memoryMb) && memoryMb > 0 ? memoryMb : undefined,
  ),
});

export async function handler(
  event: ProcessorRequest,
  context?: LambdaInvocationContext,
): Promise<TreeResponse> {
  const annotations = { index: event.index, depth: event.depth, partitions: event.work.length };
  return instrumentInvocation({ logger, tracer }, context, { requestId: event.requestId, annotations }, () =>
    search(event, context),
  );
}

async function search(event: ProcessorRequest, context?: LambdaInvocationContext): Promise<TreeResponse> {
  const started = Date.now();
  const request = { ...event, deadline: tightenDeadline(event.deadline, config.deadlineMarginMs, context) };
  const response = await service.handle(request);
  const fields = {
    partitions: event.work.map((w) => w.partition),
    coldStart: response.coldStarts > 0,
    bytesRead: response.bytesRead,
    latencyMs: Date.now() - started,
  };
  if (response.faults.length > 0) logger.error('processor faults', { ...fields, faults: response.faults });
  else logger.info('processor', fields);
  return response;
}
