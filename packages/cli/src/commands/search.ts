import { open } from 'node:fs/promises';
import { ENGINE_MAX_TOP_K } from '@squash/core';
import { loadIndex } from '@squash/index-format';
import { InvalidInputFileError } from '@squash/io';
import { integerFlag, type ParsedFlags, requiredStringFlag, stringFlag, UsageError } from '../args.ts';
import { type CommandIo, type OutputStream, openStore, resolvePath } from '../command-io.ts';
import { parseFilterFlag } from '../filter-flag.ts';
import { formatSeconds } from '../format.ts';
import { throwIfInterrupted } from '../interrupt.ts';
import { loadVectors } from '../load-vectors.ts';
import { createProgress } from '../progress.ts';
import { type CommandSpec, EXIT_OK, runCommand } from '../run-command.ts';

const HELP = `Usage: squash search --index <uri> --queries <file> [--k 10] [--filter '<json>'] [--output <file>]

Searches the current version of an index in this process (no server) and writes one JSON line per
query, in query order: {"ids": ["17", "4", ...], "distances": [0.12, 0.3, ...]}, nearest first.
Ids are strings: the row number for indexes built from array files, the JSONL "id" otherwise.
Distances are exact in the index's metric (lower is closer; ip is reported negated).

Required:
  --index <uri>       the index: a directory, s3://bucket/prefix or memory://name
  --queries <file>    query vectors (.fvecs, .bvecs, .npy, IDX, JSONL; optionally .gz)

Options:
  --k <n>             neighbours per query, 1..${ENGINE_MAX_TOP_K}                                [default: 10]
  --filter <json>     only rows matching this filter, e.g. '{"label": 3}' or
                      '{"price": {"$lt": 10}, "colour": {"$in": ["red", "blue"]}}' (docs/filters.md)
  --output <file>     write the results there instead of stdout
  -h, --help          show this help

Exit codes: 0 ok, 1 failure (missing index, bad file, INDEX_CORRUPT), 2 usage error.
`;

const SPEC: CommandSpec = {
  name: 'search',
  help: HELP,
  flags: {
    index: { type: 'string' },
    queries: { type: 'string' },
    k: { type: 'string' },
    filter: { type: 'string' },
    output: { type: 'string' },
  },
};

/** `squash search`: exact-reranked filtered k-NN over an index loaded into this process. */
export function search(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommand(SPEC, argv, io, (flags) => runSearch(readPlan(flags), io));
}

interface SearchPlan {
  readonly index: string;
  readonly queries: string;
  readonly topK: number;
  /** The parsed JSON of `--filter`, or undefined. */
  readonly filter: unknown;
  readonly output: string | undefined;
}

function readPlan(flags: ParsedFlags): SearchPlan {
  const index = requiredStringFlag(flags, 'index', 'the index to search (a directory, s3://bucket/prefix)');
  const queries = requiredStringFlag(flags, 'queries', 'the query vector file');
  const topK = integerFlag(flags, 'k', { min: 1, max: ENGINE_MAX_TOP_K }) ?? 10;
  return {
    index,
    queries,
    topK,
    filter: parseFilterFlag(stringFlag(flags, 'filter')),
    output: stringFlag(flags, 'output'),
  };
}

const LINES_PER_WRITE = 256;

async function runSearch(plan: SearchPlan, io: CommandIo): Promise<number> {
  const store = openStore(io, plan.index, '--index');
  const progress = createProgress(io.stderr);
  progress.start(`loading index ${plan.index}`);
  const loaded = await loadIndex(store, {});
  progress.finish(
    `"${loaded.manifest.name}" version ${loaded.manifest.version}, ${loaded.manifest.count} rows`,
  );
  if (plan.filter !== undefined) checkFilter(() => loaded.index.parseFilter(plan.filter));
  const queries = await loadVectors(resolvePath(io, plan.queries), { shown: plan.queries });
  if (queries.dim !== loaded.index.dim) {
    throw new InvalidInputFileError(
      plan.queries,
      undefined,
      `queries have ${queries.dim} dimensions; index "${loaded.manifest.name}" expects ${loaded.index.dim}`,
    );
  }
  await throwIfInterrupted(io.interrupts);
  const sink =
    plan.output === undefined ? streamSink(io.stdout) : await fileSink(resolvePath(io, plan.output));
  try {
    progress.start(`searching ${queries.n} queries`);
    let lines: string[] = [];
    for (let q = 0; q < queries.n; q++) {
      const vector = queries.data.subarray(q * queries.dim, (q + 1) * queries.dim);
      const result = loaded.index.search(vector, { topK: plan.topK, filter: plan.filter });
      const ids = result.ids.map((row) => loaded.idOf(row));
      lines.push(`${JSON.stringify({ ids, distances: result.distances })}\n`);
      if (lines.length === LINES_PER_WRITE) {
        await sink.write(lines.join(''));
        lines = [];
        progress.update(`${q + 1} / ${queries.n}`);
        await throwIfInterrupted(io.interrupts);
      }
    }
    if (lines.length > 0) await sink.write(lines.join(''));
    const seconds = progress.finish(`${queries.n} queries`);
    io.stderr.write(
      `searched ${queries.n} queries in ${formatSeconds(seconds)} (${((seconds * 1000) / queries.n).toFixed(2)} ms/query)\n`,
    );
  } finally {
    await sink.close();
  }
  return EXIT_OK;
}

/** A malformed filter (unknown attribute, wrong value type) is a mistake in the flag: usage error. */
function checkFilter(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    if ((error as { code?: unknown }).code === 'INVALID_FILTER') {
      throw new UsageError(`--filter: ${(error as Error).message}`);
    }
    throw error;
  }
}

interface Sink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

/** Writes to a stream, waiting for `drain` when it signals backpressure (stdout into a slow pipe). */
function streamSink(stream: OutputStream): Sink {
  const events = stream as { once?: (event: 'drain', listener: () => void) => unknown };
  return {
    write: async (text) => {
      if (stream.write(text) === false && typeof events.once === 'function') {
        await new Promise<void>((resolve) => events.once!('drain', resolve));
      }
    },
    close: async () => {},
  };
}

async function fileSink(path: string): Promise<Sink> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'w');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new InvalidInputFileError(path, undefined, `cannot be written (${String(code ?? error)})`, {
      cause: error,
    });
  }
  return {
    write: async (text) => {
      await handle.write(text);
    },
    close: () => handle.close(),
  };
}
