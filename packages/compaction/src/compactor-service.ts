import type {
  CompactionReportWire,
  CompactorRequest,
  CompactPartitionResponse,
  CompactRequest,
} from '@squash/contracts';
import { InvalidArgumentError, quote } from '@squash/errors';
import {
  assertIndexName,
  definitionOf,
  type IndexDefinition,
  IndexNotFoundError,
  loadManifest,
  readIndexDefinition,
  tryReadCurrentVersion,
} from '@squash/index-format';
import type { BlobStore } from '@squash/storage';
import { compactIndex } from './compact-index.ts';
import { type FunctionInvoker, invokingExecutor } from './invoking-executor.ts';
import { inProcessExecutor } from './partition-executor.ts';
import { runPartitionTask } from './partition-task.ts';

export interface CompactorServiceOptions {
  /** Opens a store URI (the function checks it against its store roots first). */
  readonly openStore: (uri: string) => BlobStore;
  /**
   * Invokes the compactor itself for each affected partition; absent, partitions are rebuilt in
   * this process (`squash compact`, tests).
   */
  readonly invoker?: FunctionInvoker;
  /** The compactor's own function name. */
  readonly functionName: string;
  /** Largest partition request sent to another invocation. */
  readonly maxPayloadBytes: number;
  /** Partition invocations in flight. @default 8 */
  readonly partitionConcurrency?: number;
}

/**
 * What the compactor function does with each event: `compact` runs a whole compaction (its
 * partition tasks fanned out to invocations of itself), `partition` runs one task.
 */
export class CompactorService {
  constructor(private readonly options: CompactorServiceOptions) {}

  async handle(request: CompactorRequest): Promise<CompactionReportWire | CompactPartitionResponse> {
    const store = this.options.openStore(request.indexUri);
    if (request.kind === 'partition') {
      const { entry } = await runPartitionTask(store, request.task);
      return { entry: entry as unknown as CompactPartitionResponse['entry'] };
    }
    if (request.kind !== 'compact') {
      throw new InvalidArgumentError(
        'kind',
        `compactor event kind is ${quote(String((request as { kind?: unknown }).kind))}; allowed: compact, partition`,
      );
    }
    const definition = await this.definitionOf(request, store);
    const fallback = inProcessExecutor(store, 1);
    const executor =
      this.options.invoker === undefined
        ? inProcessExecutor(store)
        : invokingExecutor(this.options.invoker, {
            functionName: this.options.functionName,
            indexUri: request.indexUri,
            index: request.index,
            maxPayloadBytes: this.options.maxPayloadBytes,
            fallback,
            ...(this.options.partitionConcurrency === undefined
              ? {}
              : { concurrency: this.options.partitionConcurrency }),
          });
    return compactIndex(store, definition, { executor, mode: request.mode ?? 'auto' });
  }

  /**
   * The catalog's definition (`<root>/_indexes/<index>.json`, root = `indexUri` without its last
   * segment); for an index outside a catalog (built in place and served by URI), the one its
   * current manifest implies.
   */
  private async definitionOf(request: CompactRequest, store: BlobStore): Promise<IndexDefinition> {
    const suffix = `/${request.index}`;
    const uri = request.indexUri.replace(/\/+$/, '');
    if (uri.endsWith(suffix) && uri.length > suffix.length && isIndexName(request.index)) {
      const root = this.options.openStore(uri.slice(0, -suffix.length));
      const definition = await readIndexDefinition(root, request.index);
      if (definition !== undefined) return definition;
    }
    const version = await tryReadCurrentVersion(store);
    if (version === undefined) {
      throw new IndexNotFoundError(
        undefined,
        `index ${quote(request.index)} at ${quote(request.indexUri)} has neither a catalog definition nor a published version`,
      );
    }
    return definitionOf(request.index, await loadManifest(store, version));
  }
}

/** A folder name that cannot be a catalog name (`squash build --out ./my index`) has no definition. */
function isIndexName(name: string): boolean {
  try {
    assertIndexName(name);
    return true;
  } catch {
    return false;
  }
}
