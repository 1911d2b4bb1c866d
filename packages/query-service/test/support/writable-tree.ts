import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FanoutRequest, ProcessorRequest } from '@squash/contracts';
import {
  type AttributeSchema,
  buildAttributeColumns,
  buildIndex,
  type Metric,
  resolveSearchParameters,
} from '@squash/core';
import { publishIndex, registerIndex } from '@squash/index-format';
import { openBlobStore } from '@squash/storage';
import {
  type CoordinatorConfig,
  type CoordinatorOptions,
  CoordinatorService,
} from '../../src/coordinator-service.ts';
import { handleFanout } from '../../src/fanout-service.ts';
import { FormatIndexAccess } from '../../src/format-index-access.ts';
import type { Invoker } from '../../src/invoker.ts';
import { ProcessorService } from '../../src/processor-service.ts';
import { StoreRoots } from '../../src/store-roots.ts';
import { WriteService, type WriteServiceOptions } from '../../src/write-service.ts';

/**
 * Search parameters under which the base search is exact: every partition is visited and
 * searched exactly, so answers over base + tail must equal brute force over the live rows.
 */
export const EXACT_PARAMETERS = resolveSearchParameters({ minPartitions: 1000, exactThreshold: 1_000_000 });

/** The serverless path over a run-time catalog in a temporary directory. */
export interface WritableTree {
  readonly root: string;
  readonly coordinator: CoordinatorService;
  readonly writes: WriteService;
  /** Another coordinator and write service over the same root (a second process). */
  another(
    overrides?: Partial<CoordinatorConfig>,
    writeOptions?: Partial<WriteServiceOptions>,
    options?: CoordinatorOptions,
  ): {
    coordinator: CoordinatorService;
    writes: WriteService;
  };
  /** Builds an index from rows (buildIndex + publishIndex) and registers it in the catalog. */
  build(
    name: string,
    vectors: Float32Array,
    dim: number,
    options: {
      metadata?: ReadonlyArray<Record<string, unknown> | undefined>;
      metric: Metric;
      schema: AttributeSchema;
      rows: Array<Record<string, unknown>>;
      partitions: number;
      ids?: string[];
    },
  ): Promise<void>;
  close(): Promise<void>;
}

export async function writableTree(
  overrides: Partial<CoordinatorConfig> = {},
  writeOptions: Partial<WriteServiceOptions> = {},
): Promise<WritableTree> {
  const root = await mkdtemp(join(tmpdir(), 'squash-writes-'));
  const access = new FormatIndexAccess();
  const parameters = overrides.parameters ?? EXACT_PARAMETERS;
  const storeRoots = new StoreRoots([root]);
  const processors = new Map<string, ProcessorService>();
  const invoker: Invoker = {
    async invoke(functionName, payload) {
      const request = JSON.parse(JSON.stringify(payload)) as ProcessorRequest | FanoutRequest;
      if (request.kind === 'fanout')
        return JSON.parse(JSON.stringify(await handleFanout(request, invoker, { storeRoots })));
      let processor = processors.get(functionName);
      if (processor === undefined) {
        processor = new ProcessorService(access, parameters, { storeRoots });
        processors.set(functionName, processor);
      }
      return JSON.parse(JSON.stringify(await processor.handle(request)));
    },
  };
  const make = (
    more: Partial<CoordinatorConfig> = {},
    moreWrites: Partial<WriteServiceOptions> = {},
    options: CoordinatorOptions = {},
  ) => {
    const coordinator = new CoordinatorService(
      {
        indexes: {},
        indexRoot: root,
        fanoutFunction: 'fanout',
        processorFunctions: ['processor-0', 'processor-1', 'processor-2'],
        partitionsPerProcessor: 1,
        branching: 2,
        requestTimeoutMs: 30_000,
        deadlineMarginMs: 50,
        invokeTimeoutMs: 30_000,
        parameters,
        ...overrides,
        ...more,
      },
      access,
      invoker,
      options,
    );
    const writes = new WriteService(coordinator.directory, {
      open: (uri) => openBlobStore(uri),
      onIndexDeleted: (name) => coordinator.forget(name),
      ...writeOptions,
      ...moreWrites,
    });
    return { coordinator, writes };
  };
  const first = make();
  return {
    root,
    ...first,
    another: make,
    async build(name, vectors, dim, options) {
      const index = buildIndex(vectors, vectors.length / dim, dim, {
        metric: options.metric,
        partitions: options.partitions,
        ...(Object.keys(options.schema).length === 0
          ? {}
          : { attributes: buildAttributeColumns(options.rows, options.schema) }),
      });
      await publishIndex(openBlobStore(join(root, name)), index, {
        name,
        ...(options.ids === undefined ? {} : { ids: options.ids }),
        ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
      });
      await registerIndex(openBlobStore(root), {
        name,
        dim,
        metric: options.metric,
        schema: options.schema,
        createdAt: new Date().toISOString(),
      });
    },
    close: () => rm(root, { recursive: true, force: true }),
  };
}
