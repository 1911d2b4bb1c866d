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
  invokeTimeoutMs: {
    kind: 'integer',
    env: 'SQUASH_INVOKE_TIMEOUT_MS',
    default: 25_000,
    min: 100,
    max: 900_000,
    doc: 'Timeout of one child invocation in milliseconds; a child that does not answer in time is retried once, then its partitions are reported missing.',
  } satisfies IntegerSetting,
  versionCheckMs: {
    kind: 'integer',
    env: 'SQUASH_VERSION_CHECK_MS',
    default: 10_000,
    min: 0,
    max: 86_400_000,
    doc: 'How long the coordinator trusts a loaded index version before reading `CURRENT` again: the staleness bound after a publish (0 reads it on every request).',
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
