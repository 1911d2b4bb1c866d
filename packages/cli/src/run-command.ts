/**
 * The one place where a command's outcome becomes an exit code and a message:
 *
 * | outcome                         | exit | stderr                                             |
 * |---------------------------------|------|----------------------------------------------------|
 * | success                         | 0    | (progress, summary)                                |
 * | `--help` / `-h`                 | 0    | nothing; the help text goes to stdout              |
 * | `UsageError`                    | 2    | `squash <cmd>: <message>` + `see squash <cmd> --help` |
 * | Ctrl-C (`InterruptedError`)     | 130  | `squash: interrupted; ...`                         |
 * | anything else                   | 1    | `squash: <message>`                                |
 *
 * Stack traces are printed only with `SQUASH_DEBUG=1`: a CLI user needs the file and the reason,
 * not the call stack.
 */
import { type FlagSpecs, type ParsedFlags, parseFlags, UsageError } from './args.ts';
import type { CommandIo } from './command-io.ts';
import { EXIT_INTERRUPTED, InterruptedError } from './interrupt.ts';
import { endOpenLine } from './progress.ts';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** What a command declares about itself. */
export interface CommandSpec {
  readonly name: string;
  /** Full `--help` text. */
  readonly help: string;
  readonly flags: FlagSpecs;
  /** Names of the positional arguments, in order. @default [] */
  readonly positionals?: readonly string[];
  /** What an interrupt means for this command, e.g. "nothing was published". */
  readonly interruptNote?: string;
}

/**
 * Parses `argv` for `spec` and runs `body`, mapping its outcome as in the table above. `body`
 * returns the exit code for outcomes that are not errors (`inspect --verify` finding problems
 * returns 1 itself, after printing them).
 */
export async function runCommand(
  spec: CommandSpec,
  argv: readonly string[],
  io: CommandIo,
  body: (flags: ParsedFlags) => Promise<number>,
): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout.write(spec.help.endsWith('\n') ? spec.help : `${spec.help}\n`);
    return EXIT_OK;
  }
  try {
    const flags = parseFlags(
      argv,
      spec.flags,
      spec.positionals === undefined ? {} : { positionals: spec.positionals },
    );
    return await body(flags);
  } catch (error) {
    return reportError(spec, error, io);
  }
}

/** `--help` or `-h` anywhere before a `--` terminator. */
function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/** Prints the error the way the table above says and returns the exit code. */
export function reportError(
  spec: Pick<CommandSpec, 'name' | 'interruptNote'>,
  error: unknown,
  io: CommandIo,
): number {
  endOpenLine(io.stderr);
  if (error instanceof UsageError) {
    io.stderr.write(`squash ${spec.name}: ${oneLine(error.message)}\nsee squash ${spec.name} --help\n`);
    return EXIT_USAGE;
  }
  if (error instanceof InterruptedError) {
    io.stderr.write(
      `squash: interrupted${spec.interruptNote === undefined ? '' : `; ${spec.interruptNote}`}\n`,
    );
    return EXIT_INTERRUPTED;
  }
  io.stderr.write(`squash: ${describeFailure(error)}\n`);
  if (io.env?.SQUASH_DEBUG === '1') io.stderr.write(`${stackOf(error)}\n`);
  return EXIT_FAILURE;
}

/**
 * The message of a failure. Errors squash raises on purpose carry a `code` and a message written
 * for the user; anything else (a bug, an unexpected system error) says so, with a hint.
 */
function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const expected = typeof code === 'string' && /^[A-Z][A-Z_]+$/.test(code);
    const message = oneLine(error.message);
    if (expected) return message;
    return `unexpected error: ${message}${typeof code === 'string' ? ` (${code})` : ''} (set SQUASH_DEBUG=1 for details)`;
  }
  return `unexpected error: ${oneLine(String(error))} (set SQUASH_DEBUG=1 for details)`;
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

function stackOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) parts.push('caused by:');
  }
  return parts.join('\n');
}
