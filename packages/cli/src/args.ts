/**
 * Shared flag parsing for every command: `node:util` `parseArgs` in strict mode, with its errors
 * rewritten as `UsageError`s that name the flag and what is allowed. A usage error exits with
 * code 2 and never touches the index or the input files.
 */
import { parseArgs } from 'node:util';

/** A mistake on the command line (unknown flag, missing or malformed value). Exit code 2. */
export class UsageError extends Error {
  readonly code = 'USAGE';

  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One flag a command accepts, as `parseArgs` describes it. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** The flag may repeat; its value is then a list in command-line order. @default false */
  readonly multiple?: boolean;
  readonly short?: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** Values of the parsed flags (flags not given are absent) and the positional arguments. */
export interface ParsedFlags {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

export interface ParseFlagsOptions {
  /** Names of the positional arguments, in order (for messages); more than this is an error. */
  readonly positionals?: readonly string[];
}

/** The flag every command accepts. */
const HELP_FLAG: FlagSpec = { type: 'boolean', short: 'h' };

/**
 * Parses `argv` strictly against `flags` plus `--help`. Unknown flags, a string flag without a
 * value, a value given to a boolean flag, a non-repeatable flag given twice and surplus
 * positionals all throw `UsageError`.
 */
export function parseFlags(
  argv: readonly string[],
  flags: FlagSpecs,
  options: ParseFlagsOptions = {},
): ParsedFlags {
  const allowed = { ...flags, help: HELP_FLAG };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: allowed,
      strict: true,
      allowPositionals: true,
      tokens: true,
    });
  } catch (error) {
    throw usageFromParseError(error, allowed);
  }
  rejectRepeats(parsed.tokens ?? [], allowed);
  const names = options.positionals ?? [];
  if (parsed.positionals.length > names.length) {
    const extra = parsed.positionals[names.length]!;
    throw new UsageError(
      names.length === 0
        ? `unexpected argument "${extra}"; this command takes only flags`
        : `unexpected argument "${extra}"; expected only ${names.map((n) => `<${n}>`).join(' ')}`,
    );
  }
  return { values: parsed.values as ParsedFlags['values'], positionals: parsed.positionals };
}

function rejectRepeats(tokens: ReadonlyArray<{ kind: string; name?: string }>, flags: FlagSpecs): void {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name === undefined) continue;
    const spec = flags[token.name];
    if (spec?.multiple === true) continue;
    if (seen.has(token.name)) {
      throw new UsageError(`--${token.name} is given more than once; give it once`);
    }
    seen.add(token.name);
  }
}

/** Rewrites the `ERR_PARSE_ARGS_*` errors of `parseArgs` in the CLI's terms. */
function usageFromParseError(error: unknown, flags: FlagSpecs): Error {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? 'a flag';
  const known = Object.keys(flags)
    .map((name) => `--${name}`)
    .join(', ');
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown flag ${flag}; allowed: ${known}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(message)
        ? new UsageError(`${flag} takes no value`)
        : new UsageError(`${flag} needs a value (write ${flag}=<value> when the value starts with "-")`);
    default:
      return error instanceof Error ? error : new Error(message);
  }
}

/** The value of a string flag, or `undefined` when absent. */
export function stringFlag(flags: ParsedFlags, name: string): string | undefined {
  const value = flags.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** The value of a string flag that must be given. */
export function requiredStringFlag(flags: ParsedFlags, name: string, what: string): string {
  const value = stringFlag(flags, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required: ${what}`);
  return value;
}

/** The values of a repeatable string flag, in command-line order (empty when absent). */
export function stringListFlag(flags: ParsedFlags, name: string): string[] {
  const value = flags.values[name];
  return Array.isArray(value) ? value : [];
}

export function booleanFlag(flags: ParsedFlags, name: string): boolean {
  return flags.values[name] === true;
}

/** Bounds of an integer flag, inclusive. */
export interface IntegerRange {
  readonly min: number;
  readonly max: number;
}

/**
 * Parses an integer flag value written in decimal (`12`, not `1e1`, `12.0` or `0x0c`) within
 * `range`, or returns `undefined` when the flag is absent.
 */
export function integerFlag(flags: ParsedFlags, name: string, range: IntegerRange): number | undefined {
  const raw = stringFlag(flags, name);
  if (raw === undefined) return undefined;
  const value = /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new UsageError(
      `--${name} is ${JSON.stringify(raw)}; allowed: an integer from ${range.min} to ${range.max}`,
    );
  }
  return value;
}

/** Parses a flag whose value is one of `choices`, or returns `undefined` when absent. */
export function choiceFlag<T extends string>(
  flags: ParsedFlags,
  name: string,
  choices: readonly T[],
): T | undefined {
  const raw = stringFlag(flags, name);
  if (raw === undefined) return undefined;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name} is ${JSON.stringify(raw)}; allowed: ${choices.join(', ')}`);
  }
  return raw as T;
}

/** The positional argument at `index`, which must be given. */
export function requiredPositional(flags: ParsedFlags, index: number, what: string): string {
  const value = flags.positionals[index];
  if (value === undefined || value === '') throw new UsageError(`missing ${what}`);
  return value;
}
