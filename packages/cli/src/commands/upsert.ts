import { MAX_CREATE_DIM, MAX_WRITE_ROWS } from '@squash/contracts';
import { METRICS } from '@squash/core';
import {
  booleanFlag,
  choiceFlag,
  integerFlag,
  type ParsedFlags,
  requiredStringFlag,
  stringFlag,
  UsageError,
} from '../args.ts';
import { AUTH_HELP } from '../auth-flags.ts';
import { type CommandIo, resolvePath } from '../command-io.ts';
import { assertReadable, type InputLine, readInputLines } from '../input-lines.ts';
import { createProgress } from '../progress.ts';
import { type CommandSpec, EXIT_OK, runCommand } from '../run-command.ts';
import { readJsonFile } from '../text-file.ts';
import { batchWrites, requestBytes, WriteInputError, type WriteItem } from '../write-batches.ts';
import { describeSummary, writeAndReport } from '../write-report.ts';
import { type CreateRequest, openWriteTarget, TARGET_FLAGS } from '../write-target.ts';

const HELP = `Usage: squash upsert --index <name> --input <file.jsonl|-> (--url <api> [auth] | --store <root>)
                     [--batch 1000] [--json]
                     [--create-dim <n> --create-metric <m> [--schema <file>]]

Inserts or replaces rows of an index from JSON Lines, one row per line:
{"id": "b-17", "vector": [0.1, 0.2], "attributes": {"genre": "poetry"}, "metadata": {...}}
(attributes and metadata optional; docs/http-api.md, "Writes"). The input is read as it streams
and sent in order, in requests of at most --batch rows and about 5 MB of JSON (1,000 rows of 784
dimensions go in two). An id repeated within a request's rows starts the next request, so the
later line wins.

Each request is atomic and acknowledged once durable. The first line that cannot be sent, or a
request the index refuses, stops the command (exit 1) with the line number, the API's code and
message, and how many rows were acknowledged before it: those rows (every earlier request) stay
applied, nothing of the failing request is written. Upserting the same rows again is harmless
(an id is replaced), so fix the line and rerun, or resume after the last acknowledged line.

Where (exactly one):
  --url <api>         a running API (the stack's ApiUrl, or squash serve --store)
  --store <root>      a store root (a directory or s3://bucket/prefix; the index's definition is
                      <root>/_indexes/<name>.json): writes in this process, through the same
                      validation and log as the API; run squash compact <root>/<name> to index
                      the log (queries search its unindexed tail exactly until then)

Required:
  --index <name>      the index to write
  --input <file|->    JSONL rows (optionally gzipped); - reads standard input

Options:
  --batch <n>         rows per request, 1..${MAX_WRITE_ROWS}                         [default: ${MAX_WRITE_ROWS}]
  --create-dim <n>    create the index first when it does not exist, with this dimension (the
                      same definition again is fine; another one fails with INDEX_EXISTS)
  --create-metric <m> its metric: ${METRICS.join(', ')} (with --create-dim)
  --schema <file>     its attribute schema, a JSON object {"genre": {"type": "category"}, ...}
                      (with --create-dim; types: number, integer, category, boolean)
  --json              print the summary as one JSON object
${AUTH_HELP}
  -h, --help          show this help

Prints rows acknowledged, requests, rows/s and the last log sequence.
Exit codes: 0 ok, 1 failure (the line and the API's error code are printed), 2 usage error.
`;

const SPEC: CommandSpec = {
  name: 'upsert',
  help: HELP,
  flags: {
    ...TARGET_FLAGS,
    index: { type: 'string' },
    input: { type: 'string' },
    batch: { type: 'string' },
    'create-dim': { type: 'string' },
    'create-metric': { type: 'string' },
    schema: { type: 'string' },
    json: { type: 'boolean' },
  },
  interruptNote: 'requests acknowledged before stay applied',
};

/** `squash upsert`: JSONL rows into an index, through the API or in-process. */
export function upsert(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (flags) => {
    const index = requiredStringFlag(flags, 'index', 'the index to write');
    const input = requiredStringFlag(flags, 'input', 'the JSONL file of rows (- for standard input)');
    const maxRows = integerFlag(flags, 'batch', { min: 1, max: MAX_WRITE_ROWS }) ?? MAX_WRITE_ROWS;
    const create = await readCreateFlags(flags, io);
    const target = openWriteTarget(flags, io, index);
    await assertReadable(io, input, '--input');
    const progress = createProgress(io.stderr);
    let created: boolean | undefined;
    if (create !== undefined) created = (await target.create(create)).created;
    progress.start(`upserting into ${index}`);
    const summary = await writeAndReport({
      index,
      input,
      json: booleanFlag(flags, 'json'),
      io,
      progress,
      batches: batchWrites(upsertItems(readInputLines(io, input, '--input')), { maxRows }),
      send: (rows) => target.upsert(rows),
      extra: created === undefined ? {} : { created },
    });
    if (!booleanFlag(flags, 'json')) {
      io.stdout.write(describeSummary(summary, 'upserted'));
      if (created === true) io.stdout.write(`created     index ${index}\n`);
      if (target.inProcess && summary.rows > 0) {
        io.stdout.write(
          `compact     run squash compact ${target.where.replace(/\/+$/, '')}/${index} to index the log (until then queries search it exactly)\n`,
        );
      }
    }
    return EXIT_OK;
  });
}

/** `--create-dim/--create-metric/--schema`, or undefined when the index is not to be created. */
async function readCreateFlags(flags: ParsedFlags, io: CommandIo): Promise<CreateRequest | undefined> {
  // 65,536: the catalog's limit (index-catalog.ts), which does not export it.
  const dim = integerFlag(flags, 'create-dim', { min: 1, max: MAX_CREATE_DIM });
  const metric = choiceFlag(flags, 'create-metric', METRICS);
  const schemaFile = stringFlag(flags, 'schema');
  if (dim === undefined && metric === undefined) {
    if (schemaFile !== undefined)
      throw new UsageError('--schema only applies with --create-dim and --create-metric');
    return undefined;
  }
  if (dim === undefined || metric === undefined) {
    throw new UsageError('--create-dim and --create-metric go together: give both to create the index');
  }
  const schema =
    schemaFile === undefined ? undefined : await readJsonFile(resolvePath(io, schemaFile), schemaFile);
  return { dim, metric, ...(schema === undefined ? {} : { schema }) };
}

/** Parses each non-blank line as one row object; the API checks its fields. */
async function* upsertItems(lines: AsyncIterable<InputLine>): AsyncGenerator<WriteItem> {
  for await (const { line, text } of lines) {
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new WriteInputError(
        'INVALID_JSON',
        line,
        `invalid JSON (${(error as Error).message}); expected one object like {"id": "a", "vector": [0.5, 1]}`,
      );
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new WriteInputError(
        'INVALID_REQUEST',
        line,
        `found ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}; expected a JSON object with "id" and "vector"`,
      );
    }
    const id = (value as { id?: unknown }).id;
    yield { line, value, id: typeof id === 'string' ? id : undefined, bytes: requestBytes(value) };
  }
}
