import { SquashApiError, SquashClient } from '@squash/client';
import { MAX_TOP_K, type QueryRequest } from '@squash/contracts';
import {
  booleanFlag,
  integerFlag,
  type ParsedFlags,
  requiredStringFlag,
  stringFlag,
  UsageError,
} from '../args.ts';
import { API_FLAGS, AUTH_HELP, readApiUrl, readAuth } from '../auth-flags.ts';
import { type CommandIo, resolvePath } from '../command-io.ts';
import { parseFilterFlag } from '../filter-flag.ts';
import { throwIfInterrupted } from '../interrupt.ts';
import { loadVectors } from '../load-vectors.ts';
import { type CommandSpec, EXIT_OK, runCommand } from '../run-command.ts';

const HELP = `Usage: squash query --url <api> --index <name> (--vector '<json>' | --queries <file>)
                    [--k 10] [--filter '<json>'] [--attributes] [--api-key <key> | --iam [--region <r>]]

Queries a running squash API (a deployed stack or squash serve) through the typed client and
writes one JSON line per query, in query order:
{"ids": [...], "distances": [...], "complete": true}, nearest first (with "attributes" when asked).
Files of queries go in batches (query:batch); 429 and 503 answers are retried after Retry-After.

Required:
  --url <api>         the API's base URL: the stack's ApiUrl, or http://127.0.0.1:8080
  --index <name>      the index to query
  --vector <json>     one query vector as a JSON array of numbers, or
  --queries <file>    query vectors (.fvecs, .bvecs, .npy, IDX, JSONL; optionally .gz)

Options:
  --k <n>             neighbours per query, 1..${MAX_TOP_K}                              [default: 10]
  --filter <json>     only rows matching this filter (docs/filters.md)
  --attributes        include each match's attribute values
${AUTH_HELP}
  -h, --help          show this help

Exit codes: 0 ok, 1 failure (the API's error code is printed), 2 usage error.
`;

const SPEC: CommandSpec = {
  name: 'query',
  help: HELP,
  flags: {
    ...API_FLAGS,
    index: { type: 'string' },
    vector: { type: 'string' },
    queries: { type: 'string' },
    k: { type: 'string' },
    filter: { type: 'string' },
    attributes: { type: 'boolean' },
  },
};

/** Queries per `query:batch` request (the API allows 1000); larger answers are split further. */
const BATCH_SIZE = 100;

/** `squash query`: k-NN through the HTTP API, one JSON line per query. */
export function query(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommand(SPEC, argv, io, (flags) => runQuery(flags, io));
}

async function runQuery(flags: ParsedFlags, io: CommandIo): Promise<number> {
  const url = readApiUrl(requiredStringFlag(flags, 'url', 'the API base URL'));
  const index = requiredStringFlag(flags, 'index', 'the index name');
  const client = new SquashClient({ url, auth: readAuth(flags, io) });
  const template: Omit<QueryRequest, 'vector'> = {
    topK: integerFlag(flags, 'k', { min: 1, max: MAX_TOP_K }) ?? 10,
    ...(flags.values.filter === undefined ? {} : { filter: parseFilterFlag(stringFlag(flags, 'filter')) }),
    ...(booleanFlag(flags, 'attributes') ? { include: ['attributes' as const] } : {}),
  };
  const vectors = await readVectors(flags, io);
  for (let start = 0; start < vectors.length; start += BATCH_SIZE) {
    const results = await queryChunk(client, index, template, vectors.slice(start, start + BATCH_SIZE));
    io.stdout.write(results.map((r) => `${JSON.stringify(toLine(r))}\n`).join(''));
    await throwIfInterrupted(io.interrupts);
  }
  return EXIT_OK;
}

type QueryResult = Awaited<ReturnType<SquashClient['query']>>;

/**
 * One `query:batch` for `vectors` (a plain query for one). A batch whose answer could pass the
 * 6 MB response limit is refused with `ANSWER_TOO_LARGE` before any work, so it is split in
 * halves and retried; a single query that cannot fit fails with the API's message.
 */
async function queryChunk(
  client: SquashClient,
  index: string,
  template: Omit<QueryRequest, 'vector'>,
  vectors: number[][],
): Promise<Array<Omit<QueryResult, 'usage'>>> {
  if (vectors.length === 1) return [await client.query(index, { ...template, vector: vectors[0]! })];
  try {
    return (await client.queryBatch(index, { queries: vectors.map((vector) => ({ ...template, vector })) }))
      .results;
  } catch (error) {
    if (!(error instanceof SquashApiError) || error.code !== 'ANSWER_TOO_LARGE') throw error;
    const half = Math.ceil(vectors.length / 2);
    return [
      ...(await queryChunk(client, index, template, vectors.slice(0, half))),
      ...(await queryChunk(client, index, template, vectors.slice(half))),
    ];
  }
}

function toLine(result: {
  matches: Array<{ id: string; distance: number; attributes?: unknown }>;
  complete: boolean;
  missingPartitions?: number[];
}): Record<string, unknown> {
  const withAttributes = result.matches.some((m) => m.attributes !== undefined);
  return {
    ids: result.matches.map((m) => m.id),
    distances: result.matches.map((m) => m.distance),
    ...(withAttributes ? { attributes: result.matches.map((m) => m.attributes ?? null) } : {}),
    complete: result.complete,
    ...(result.missingPartitions === undefined ? {} : { missingPartitions: result.missingPartitions }),
  };
}

async function readVectors(flags: ParsedFlags, io: CommandIo): Promise<number[][]> {
  const vector = stringFlag(flags, 'vector');
  const file = stringFlag(flags, 'queries');
  if ((vector === undefined) === (file === undefined)) {
    throw new UsageError('give exactly one of --vector <json> and --queries <file>');
  }
  if (vector !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(vector);
    } catch (error) {
      throw new UsageError(`--vector is not valid JSON (${(error as Error).message})`);
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((v) => typeof v === 'number')) {
      throw new UsageError('--vector must be a JSON array of numbers, e.g. [0.1, 0.2, 0.3]');
    }
    return [parsed as number[]];
  }
  const loaded = await loadVectors(resolvePath(io, file!), { shown: file! });
  return Array.from({ length: loaded.n }, (_, q) =>
    Array.from(loaded.data.subarray(q * loaded.dim, (q + 1) * loaded.dim)),
  );
}
