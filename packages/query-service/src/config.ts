import { ENV } from '@squash/contracts';
import { InvalidArgumentError } from '@squash/core';

/** Configuration of the functions, read once at module start from the environment. */
export interface FunctionConfig {
  readonly indexes: Record<string, string>;
  readonly fanoutFunction: string;
  readonly processorFunctions: string[];
  /** @default 1 */
  readonly partitionsPerProcessor: number;
  /** @default 8 */
  readonly branching: number;
  /** @default 25000 */
  readonly invokeTimeoutMs: number;
  /** @default 'info' */
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
}

/**
 * Reads `FunctionConfig` from `env` (the names in `ENV`). Every option has a default except the
 * index table, which the coordinator needs and the processor does not (processors get the store
 * URI in each request). Malformed values throw naming the variable.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): FunctionConfig {
  return {
    indexes: parseJson(env, ENV.indexes, {}, isStringRecord, 'a JSON object of index name -> store URI'),
    fanoutFunction: env[ENV.fanoutFunction] ?? 'squash-fanout',
    processorFunctions: parseJson(
      env,
      ENV.processorFunctions,
      ['squash-processor'],
      isNonEmptyStringArray,
      'a JSON array of function names',
    ),
    partitionsPerProcessor: parseInteger(env, ENV.partitionsPerProcessor, 1, 1, 100_000),
    branching: parseInteger(env, ENV.branching, 8, 2, 1000),
    invokeTimeoutMs: parseInteger(env, ENV.invokeTimeoutMs, 25_000, 100, 900_000),
    logLevel: parseLevel(env[ENV.logLevel]),
  };
}

function parseJson<T>(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: T,
  check: (v: unknown) => v is T,
  allowed: string,
): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = undefined;
  }
  if (!check(value))
    throw new InvalidArgumentError(name, `${name} is ${JSON.stringify(raw)}; allowed: ${allowed}`);
  return value;
}

function parseInteger(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(
      name,
      `${name} is ${JSON.stringify(raw)}; allowed: an integer ${min}..${max}`,
    );
  }
  return value;
}

function parseLevel(raw: string | undefined): FunctionConfig['logLevel'] {
  if (raw === undefined || raw === '') return 'info';
  if (raw === 'debug' || raw === 'info' || raw === 'warn' || raw === 'error') return raw;
  throw new InvalidArgumentError(
    ENV.logLevel,
    `${ENV.logLevel} is ${JSON.stringify(raw)}; allowed: debug, info, warn, error`,
  );
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

function isNonEmptyStringArray(value: unknown): value is string[] {
  return (
    Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v.length > 0)
  );
}
