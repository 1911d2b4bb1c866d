import {
  type EnumSetting,
  FUNCTION_SETTINGS,
  type IntegerSetting,
  type JsonSetting,
  type LogLevel,
  type TextSetting,
} from '@squash/contracts';
import { InvalidArgumentError, quote } from '@squash/errors';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Configuration of the functions, read once at module start from the environment. Each field is
 * a row of `FUNCTION_SETTINGS` (contracts), which holds its variable, default, range and meaning.
 */
export interface FunctionConfig {
  readonly indexes: Readonly<Record<string, string>>;
  readonly fanoutFunction: string;
  readonly processorFunctions: readonly string[];
  readonly partitionsPerProcessor: number;
  readonly branching: number;
  readonly invokeTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly deadlineMarginMs: number;
  readonly versionCheckMs: number;
  readonly partitionCacheMb: number;
  readonly storeRoots: readonly string[];
  readonly logLevel: LogLevel;
  /** Store root of the run-time index catalog; '' for none (only `indexes`, read-only). */
  readonly indexRoot: string;
  readonly compactionTailRows: number;
  readonly compactorFunction: string;
}

/**
 * Reads `FunctionConfig` from `env`. Every setting has a default. Requests carry the index's
 * store URI, but fan-out nodes and processors open only URIs under their store roots (see
 * `StoreRoots`), which default to the index table. A malformed value throws `InvalidArgumentError` naming the
 * variable, the value and what is allowed.
 */
export function loadConfig(env: Env): FunctionConfig {
  const s = FUNCTION_SETTINGS;
  return {
    indexes: readJson(env, s.indexes, isStringRecord),
    fanoutFunction: readText(env, s.fanoutFunction),
    processorFunctions: readJson(env, s.processorFunctions, isNonEmptyStringArray),
    partitionsPerProcessor: readInteger(env, s.partitionsPerProcessor),
    branching: readInteger(env, s.branching),
    invokeTimeoutMs: readInteger(env, s.invokeTimeoutMs),
    requestTimeoutMs: readInteger(env, s.requestTimeoutMs),
    deadlineMarginMs: readInteger(env, s.deadlineMarginMs),
    versionCheckMs: readInteger(env, s.versionCheckMs),
    partitionCacheMb: readInteger(env, s.partitionCacheMb),
    storeRoots: readJson(env, s.storeRoots, isStringArray),
    logLevel: readEnum(env, s.logLevel),
    indexRoot: readText(env, s.indexRoot),
    compactionTailRows: readInteger(env, s.compactionTailRows),
    compactorFunction: readText(env, s.compactorFunction),
  };
}

/** An integer setting: its default when unset or empty, else an integer in `min..max`. */
export function readInteger(env: Env, setting: IntegerSetting): number {
  const raw = env[setting.env];
  if (raw === undefined || raw === '') return setting.default;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < setting.min || value > setting.max) {
    throw new InvalidArgumentError(
      setting.env,
      `${setting.env} is ${quote(raw)}; allowed: an integer ${setting.min}..${setting.max}`,
    );
  }
  return value;
}

function readText(env: Env, setting: TextSetting): string {
  const raw = env[setting.env];
  return raw === undefined || raw === '' ? setting.default : raw;
}

function readEnum<T extends string>(env: Env, setting: EnumSetting<T>): T {
  const raw = env[setting.env];
  if (raw === undefined || raw === '') return setting.default;
  if ((setting.values as readonly string[]).includes(raw)) return raw as T;
  throw new InvalidArgumentError(
    setting.env,
    `${setting.env} is ${quote(raw)}; allowed: ${setting.values.join(', ')}`,
  );
}

function readJson<T>(env: Env, setting: JsonSetting<T>, check: (v: unknown) => v is T): T {
  const raw = env[setting.env];
  if (raw === undefined || raw === '') return setting.default;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = undefined;
  }
  if (!check(value)) {
    throw new InvalidArgumentError(
      setting.env,
      `${setting.env} is ${quote(raw)}; allowed: ${setting.allowed}`,
    );
  }
  return value;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && v.length > 0);
}

function isNonEmptyStringArray(value: unknown): value is string[] {
  return (
    Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v.length > 0)
  );
}
