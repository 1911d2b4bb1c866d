/**
 * Environment variable names read by the functions. Infra sets them from these constants and the
 * functions read them through `loadConfig`, so the two cannot drift apart.
 */
export const ENV = {
  /** JSON object: index name -> store URI (`s3://bucket/prefix` or a directory). */
  indexes: 'SQUASH_INDEXES',
  /** Function name (or ARN) of the fan-out tree node. */
  fanoutFunction: 'SQUASH_FANOUT_FUNCTION',
  /**
   * JSON array of processor function names; partition p is served by processor
   * `processors[floor(p / partitionsPerProcessor) % processors.length]`.
   */
  processorFunctions: 'SQUASH_PROCESSOR_FUNCTIONS',
  /** Partitions served by one processor function. @default 1 */
  partitionsPerProcessor: 'SQUASH_PARTITIONS_PER_PROCESSOR',
  /** Children a tree node invokes at most. @default 8 */
  branching: 'SQUASH_BRANCHING',
  /** Timeout of one child invocation in milliseconds. @default 25000 */
  invokeTimeoutMs: 'SQUASH_INVOKE_TIMEOUT_MS',
  /** Log level: debug, info, warn, error. @default info */
  logLevel: 'SQUASH_LOG_LEVEL',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

/** Logical names of the three functions; the local runtime registers them under these names. */
export const FUNCTION_NAMES = {
  coordinator: 'squash-coordinator',
  fanout: 'squash-fanout',
  processor: 'squash-processor',
} as const;

/** Paths of the handler modules relative to the repository root (infra bundles them by path). */
export const HANDLER_ENTRIES = {
  coordinator: 'functions/coordinator/handler.ts',
  fanout: 'functions/fanout/handler.ts',
  processor: 'functions/processor/handler.ts',
} as const;

/** Largest synchronous Lambda request or response payload, in bytes (AWS limit). */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
