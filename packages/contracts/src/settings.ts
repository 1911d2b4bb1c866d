/**
 * The one table of the functions' settings: environment variable, default, allowed range and
 * meaning. The functions read it through `loadConfig` (packages/query-service), the CDK stack and
 * `squash serve` set the variables from it and take their defaults from it, and docs quote it, so
 * no default or range is stated twice.
 */

interface SettingBase {
  /** Environment variable that carries the setting. */
  readonly env: string;
  /** What it does to recall, latency, cost or safety. */
  readonly doc: string;
}

export interface IntegerSetting extends SettingBase {
  readonly kind: 'integer';
  readonly default: number;
  readonly min: number;
  readonly max: number;
}

export interface EnumSetting<T extends string = string> extends SettingBase {
  readonly kind: 'enum';
  readonly default: T;
  readonly values: readonly T[];
}

export interface TextSetting extends SettingBase {
  readonly kind: 'text';
  readonly default: string;
}

/** A JSON value; the reader checks its shape (`allowed` says which). */
export interface JsonSetting<T = unknown> extends SettingBase {
  readonly kind: 'json';
  readonly default: T;
  readonly allowed: string;
}

export type Setting = IntegerSetting | EnumSetting | TextSetting | JsonSetting;

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const FUNCTION_SETTINGS = {
  indexes: {
    kind: 'json',
    env: 'SQUASH_INDEXES',
    default: {} as Record<string, string>,
    allowed: 'a JSON object of index name -> store URI',
    doc: 'The indexes the coordinator serves: name -> store URI (`s3://bucket/prefix` or a directory).',
  } satisfies JsonSetting<Record<string, string>>,
  indexRoot: {
    kind: 'text',
    env: 'SQUASH_INDEX_ROOT',
    default: '',
    doc: 'Store root (`s3://bucket/prefix` or a directory) whose indexes are served and written: every index in its catalog (`_indexes/<name>.json`) is found at run time, including ones created after start, so a new index needs no deploy. Empty (the default): only the indexes of `SQUASH_INDEXES`, read-only. Processors may open what is below it.',
  } satisfies TextSetting,
  compactionTailRows: {
    kind: 'integer',
    env: 'SQUASH_COMPACTION_TAIL_ROWS',
    default: 20_000,
    min: 1,
    max: 10_000_000,
    doc: 'Rows in the unindexed tail of the write log (upserts and deletes since the current version) past which an acknowledged write starts a compaction asynchronously. Queries search the tail exactly, so a longer tail costs query time; a shorter one compacts more often.',
  } satisfies IntegerSetting,
  compactorFunction: {
    kind: 'text',
    env: 'SQUASH_COMPACTOR_FUNCTION',
    default: 'squash-compactor',
    doc: 'Function name (or ARN) of the compactor, invoked asynchronously by writes past the tail threshold and by itself once per affected partition.',
  } satisfies TextSetting,
  fanoutFunction: {
    kind: 'text',
    env: 'SQUASH_FANOUT_FUNCTION',
    default: 'squash-fanout',
    doc: 'Function name (or ARN) of the fan-out tree node.',
  } satisfies TextSetting,
  processorFunctions: {
    kind: 'json',
    env: 'SQUASH_PROCESSOR_FUNCTIONS',
    default: ['squash-processor'] as string[],
    allowed: 'a non-empty JSON array of function names',
    doc: 'Processor function names; partition p is served by `processors[floor(p / partitionsPerProcessor) % processors.length]`.',
  } satisfies JsonSetting<string[]>,
  partitionsPerProcessor: {
    kind: 'integer',
    env: 'SQUASH_PARTITIONS_PER_PROCESSOR',
    default: 1,
    min: 1,
    max: 100_000,
    doc: 'Partitions one processor function serves. 1 keeps every partition warm in its own function (lowest latency); more packs partitions into fewer, larger functions (fewer cold starts, less parallelism).',
  } satisfies IntegerSetting,
  branching: {
    kind: 'integer',
    env: 'SQUASH_BRANCHING',
    default: 8,
    min: 2,
    max: 1000,
    doc: 'Children a tree node invokes at most; P processor units need ceil(log_b P) hops.',
  } satisfies IntegerSetting,
  requestTimeoutMs: {
    kind: 'integer',
    env: 'SQUASH_REQUEST_TIMEOUT_MS',
    default: 25_000,
    min: 500,
    max: 890_000,
    doc: [
      'The one request budget R in milliseconds: the coordinator answers within R of starting a request (or of its own remaining Lambda time, whichever ends first), with `complete: false` and a `TIMEOUT` fault for every partition that did not answer in time rather than an error.',
      'It puts an absolute deadline into every tree payload; each level gives its children its own deadline minus `deadlineMarginMs` and never waits past it, and processors stop searching once their deadline has passed.',
      'Function timeouts must nest around it (the CDK stack derives them from R and the margin M; API Gateway HTTP APIs end an integration at 30 s, so R + M + coordinator init must stay under 30 s there):',
      'coordinator timeout >= R + M; fan-out node and processor timeouts >= R (a child at depth d is given at most R - d*M, so any value >= R is a backstop that never fires before the deadline does).',
      'Shorter R bounds tail latency and cost of a stuck request; longer R lets cold processors on large partitions finish.',
    ].join(' '),
  } satisfies IntegerSetting,
  deadlineMarginMs: {
    kind: 'integer',
    env: 'SQUASH_DEADLINE_MARGIN_MS',
    default: 500,
    min: 10,
    max: 60_000,
    doc: "Time each level of the tree keeps for itself, in milliseconds: a node tells its children to answer by its own deadline minus this margin, stops waiting for them half a margin before its deadline, and retries or starts a round only while at least one margin is left. Covers transfer, JSON parsing and merging of a child answer (up to 6 MB); too small turns slow transfers into `TIMEOUT` faults, too large shortens the processors' budget by one margin per tree level.",
  } satisfies IntegerSetting,
  invokeTimeoutMs: {
    kind: 'integer',
    env: 'SQUASH_INVOKE_TIMEOUT_MS',
    default: 25_000,
    min: 100,
    max: 900_000,
    doc: "Longest one attempt at a child invocation may take, in milliseconds, within the request budget (an attempt never runs past the parent's deadline minus half a margin, whatever this says). Below `requestTimeoutMs` it leaves room to retry a child that hangs (the retry goes to a fresh instance); at or above it a hung child is not retried and its partitions come back as `TIMEOUT`, while children that fail fast (throttled, crashed, 5xx) are still retried once.",
  } satisfies IntegerSetting,
  versionCheckMs: {
    kind: 'integer',
    env: 'SQUASH_VERSION_CHECK_MS',
    default: 10_000,
    min: 0,
    max: 86_400_000,
    doc: 'How long the coordinator trusts a loaded index version before reading `CURRENT` again: the staleness bound after a publish (0 reads it on every request).',
  } satisfies IntegerSetting,
  storeRoots: {
    kind: 'json',
    env: 'SQUASH_STORE_ROOTS',
    default: [] as string[],
    allowed: 'a JSON array of store URIs (s3://bucket/prefix, a directory or memory://name)',
    doc: 'Store roots the fan-out nodes and processors may open: a tree payload naming an `indexUri` that is not one of these roots or below one is refused, logged at error level and answered with a `FORBIDDEN` fault for each of its partitions. Empty (the default) allows the index URIs of `SQUASH_INDEXES` and what is below them, so a function with neither setting opens nothing. A root that is not a store URI fails the function at start.',
  } satisfies JsonSetting<string[]>,
  partitionCacheMb: {
    kind: 'integer',
    env: 'SQUASH_PARTITION_CACHE_MB',
    default: 0,
    min: 0,
    max: 10_240,
    doc: "Memory a processor keeps loaded partitions in, in MiB; past it the least recently used partition is evicted and reloaded from the store when asked for again (a cold read of its objects). 0 (the default) means 60% of the function's memory, leaving the rest for the heap, payloads and scratch space. Larger: fewer reloads when one processor serves many partitions; too large: out-of-memory kills under big batches.",
  } satisfies IntegerSetting,
  logLevel: {
    kind: 'enum',
    env: 'SQUASH_LOG_LEVEL',
    default: 'info' as LogLevel,
    values: LOG_LEVELS,
    doc: 'Lowest level written to the log.',
  } satisfies EnumSetting<LogLevel>,
} as const;

export type SettingName = keyof typeof FUNCTION_SETTINGS;
