/**
 * `squash <command>`: dispatch to one command per file. `runCli` is what tests call in-process;
 * `runProcess` wires it to the real process (streams, cwd, environment, Ctrl-C) for the binary.
 */
import { UsageError } from './args.ts';
import type { Command, CommandIo } from './command-io.ts';
import { bench } from './commands/bench.ts';
import { build } from './commands/build.ts';
import { compact } from './commands/compact.ts';
import { deleteCommand } from './commands/delete.ts';
import { gc } from './commands/gc.ts';
import { inspect } from './commands/inspect.ts';
import { query } from './commands/query.ts';
import { search } from './commands/search.ts';
import { serve } from './commands/serve.ts';
import { upsert } from './commands/upsert.ts';
import { versions } from './commands/versions.ts';
import { watchInterrupts } from './interrupt.ts';
import { EXIT_OK, EXIT_USAGE } from './run-command.ts';
import { CLI_VERSION } from './version.ts';

interface CommandEntry {
  readonly run: Command;
  readonly summary: string;
}

const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  bench: { run: bench, summary: 'run the benchmark harness and rewrite docs/benchmarks.md (about 10 min)' },
  build: { run: build, summary: 'build an index from a vector file and publish it as a new version' },
  search: { run: search, summary: 'search an index in this process; one JSON line per query' },
  query: { run: query, summary: 'query a running API (stack or squash serve); one JSON line per query' },
  inspect: { run: inspect, summary: "show a version's manifest; --verify checks every object" },
  serve: { run: serve, summary: 'serve indexes over HTTP on the local Lambda runtime (Ctrl-C stops)' },
  versions: { run: versions, summary: 'list the versions of an index, newest first' },
  gc: { run: gc, summary: 'delete all but the newest N versions (never the current one)' },
  compact: { run: compact, summary: 'fold the write log of an index into a new version, in this process' },
  upsert: {
    run: upsert,
    summary: 'insert or replace rows from JSONL, through the API (--url) or a store root (--store)',
  },
  delete: {
    run: deleteCommand,
    summary: 'delete rows by id, through the API (--url) or a store root (--store)',
  },
};

const HELP = `Usage: squash <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, entry]) => `  ${name.padEnd(10)}${entry.summary}`)
  .join('\n')}

Run squash <command> --help for a command's options; squash --version prints the version.
Indexes live in a directory, s3://bucket/prefix (AWS settings from the environment, e.g.
AWS_ENDPOINT_URL_S3, AWS_REGION) or memory://name. Set SQUASH_DEBUG=1 to see stack traces.
`;

/** Runs one `squash` invocation and returns its exit code. */
export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(HELP);
    return EXIT_USAGE;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`squash ${CLI_VERSION}\n`);
    return EXIT_OK;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic !== undefined && Object.hasOwn(COMMANDS, topic)) return COMMANDS[topic]!.run(['--help'], io);
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    const message = new UsageError(
      `unknown command ${JSON.stringify(name)}; allowed: ${Object.keys(COMMANDS).join(', ')}`,
    ).message;
    io.stderr.write(`squash: ${message}\nsee squash --help\n`);
    return EXIT_USAGE;
  }
  return COMMANDS[name]!.run(rest, io);
}

/** The binary's entry: the process's streams, cwd and environment, and Ctrl-C handling. */
export async function runProcess(argv: readonly string[]): Promise<number> {
  const interrupts = watchInterrupts();
  try {
    return await runCli(argv, {
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
      cwd: process.cwd(),
      env: process.env,
      interrupts,
    });
  } finally {
    interrupts.dispose();
  }
}
