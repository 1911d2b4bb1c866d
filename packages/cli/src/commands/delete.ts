import { MAX_WRITE_ROWS } from '@squash/contracts';
import { booleanFlag, requiredStringFlag, stringFlag, stringListFlag, UsageError } from '../args.ts';
import { AUTH_HELP } from '../auth-flags.ts';
import type { CommandIo } from '../command-io.ts';
import { type InputLine, readInputLines } from '../input-lines.ts';
import { createProgress } from '../progress.ts';
import { type CommandSpec, EXIT_OK, runCommand } from '../run-command.ts';
import { batchWrites, requestBytes, WriteInputError, type WriteItem } from '../write-batches.ts';
import { describeSummary, writeAndReport } from '../write-report.ts';
import { openWriteTarget, TARGET_FLAGS } from '../write-target.ts';

const HELP = `Usage: squash delete --index <name> (--ids <file|-> | --id <id>...)
                     (--url <api> [auth] | --store <root>) [--json]

Deletes rows of an index by id, in requests of ${MAX_WRITE_ROWS} ids. An id that does not exist is not an
error. Each request is atomic; a refused one stops the command (exit 1) with the line, the API's
code and message, and how many ids were acknowledged before it (those deletes stay applied;
deleting again is harmless).

Where (exactly one):
  --url <api>         a running API (the stack's ApiUrl, or squash serve --store)
  --store <root>      a store root (a directory or s3://bucket/prefix): deletes in this process,
                      through the same validation and log as the API

Required:
  --index <name>      the index
  --ids <file|->      one id per line (a line starting with "{" is read as JSONL {"id": ...});
                      blank lines are skipped; - reads standard input
  --id <id>           an id to delete; repeat for more (instead of --ids)

Options:
  --json              print the summary as one JSON object
${AUTH_HELP}
  -h, --help          show this help

Exit codes: 0 ok, 1 failure (the line and the API's error code are printed), 2 usage error.
`;

const SPEC: CommandSpec = {
  name: 'delete',
  help: HELP,
  flags: {
    ...TARGET_FLAGS,
    index: { type: 'string' },
    ids: { type: 'string' },
    id: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  },
  interruptNote: 'requests acknowledged before stay applied',
};

/** `squash delete`: deletes ids from an index, through the API or in-process. */
export function deleteCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (flags) => {
    const index = requiredStringFlag(flags, 'index', 'the index to delete from');
    const file = stringFlag(flags, 'ids');
    const given = stringListFlag(flags, 'id');
    if ((file === undefined) === (given.length === 0)) {
      throw new UsageError('give either --ids <file> or one or more --id <id>');
    }
    const target = openWriteTarget(flags, io, index);
    const lines: AsyncIterable<InputLine> =
      file === undefined ? toLines(given) : readInputLines(io, file, '--ids');
    const progress = createProgress(io.stderr);
    progress.start(`deleting from ${index}`);
    const summary = await writeAndReport({
      index,
      input: file ?? '--id',
      json: booleanFlag(flags, 'json'),
      io,
      progress,
      batches: batchWrites(deleteItems(lines), { maxRows: MAX_WRITE_ROWS }),
      send: (ids) => target.delete(ids),
      extra: {},
    });
    if (!booleanFlag(flags, 'json')) io.stdout.write(describeSummary(summary, 'deleted'));
    return EXIT_OK;
  });
}

/** The `--id` values as numbered "lines" (the n-th --id is line n in messages). */
async function* toLines(ids: readonly string[]): AsyncGenerator<InputLine> {
  for (const [i, text] of ids.entries()) yield { line: i + 1, text };
}

/** One id per non-blank line: the line itself, or the "id" of a JSON object line. */
async function* deleteItems(lines: AsyncIterable<InputLine>): AsyncGenerator<WriteItem> {
  for await (const { line, text } of lines) {
    if (text.trim() === '') continue;
    const id = text.trimStart().startsWith('{') ? idOfJsonLine(text, line) : text;
    yield { line, value: id, id: typeof id === 'string' ? id : undefined, bytes: requestBytes(id) };
  }
}

function idOfJsonLine(text: string, line: number): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new WriteInputError(
      'INVALID_JSON',
      line,
      `invalid JSON (${(error as Error).message}); expected a bare id or {"id": "..."}`,
    );
  }
  const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
  if (id === undefined)
    throw new WriteInputError('INVALID_REQUEST', line, 'the object has no "id"; expected {"id": "..."}');
  return id;
}
