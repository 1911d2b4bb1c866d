import { type AwsCredentials, SquashClient } from '@squash/client';

/** Index the write check creates, next to the uploaded one. */
export const WRITES_INDEX = 'emulated-writes';
/**
 * The tail threshold the emulated stack is deployed with (`-c compactionTailRows`): low enough that
 * the check's writes start the compactor twice, a first build and then an incremental compaction.
 */
export const EMULATED_TAIL_ROWS = 100;

const DIM = 8;
/** The compactor builds nothing below 1,000 live rows (`buildThresholdRows`). */
const FIRST_ROWS = 1000;
const SECOND_ROWS = 150;
const COMPACTION_WAIT_MS = 120_000;

/**
 * The write path of the deployed stack, through the API Gateway bridge with SigV4 (the write
 * routes' `AWS_IAM` authorization): creates an index below the coordinator's index root, upserts
 * rows and finds them at once (the tail), then waits for the compactions those writes start.
 *
 * 1. 1,000 rows: past the tail threshold, so the coordinator invokes the compactor asynchronously
 *    (`SQUASH_COMPACTOR_FUNCTION`, an `Event` invocation), which builds the first version.
 * 2. 150 more: the second compaction is incremental, and the compactor sends each affected
 *    partition to a synchronous invocation of itself under the name in its own environment.
 *
 * Each step must end with a new version that holds every row: a wrong function name, a missing
 * setting or a store root that refuses the index fails it (after `COMPACTION_WAIT_MS`).
 *
 * @throws Error saying which step did not happen.
 */
export async function checkWrites(
  url: string,
  region: string,
  credentials: AwsCredentials,
  log: (line: string) => void,
): Promise<void> {
  const client = new SquashClient({ url, auth: { type: 'iam', region, credentials }, maxRetries: 0 });
  const created = await client.createIndex(WRITES_INDEX, { dim: DIM, metric: 'l2' });
  if (!created.created) throw new Error(`index "${WRITES_INDEX}" existed before the write check`);
  await upsertRows(client, 0, FIRST_ROWS);
  await expectNearest(client, 7);
  const first = await waitForVersion(client, undefined, FIRST_ROWS);
  log(`  write check: upserted ${FIRST_ROWS} rows; the compactor published ${first}`);
  await upsertRows(client, FIRST_ROWS, SECOND_ROWS);
  await expectNearest(client, FIRST_ROWS + 3);
  const second = await waitForVersion(client, first, FIRST_ROWS + SECOND_ROWS);
  log(`  write check: upserted ${SECOND_ROWS} more; the compactor published ${second}`);
  await expectNearest(client, FIRST_ROWS + 3);
  await expectRows(client, [0, FIRST_ROWS - 1, FIRST_ROWS, FIRST_ROWS + SECOND_ROWS - 1]);
  await client.deleteIndex(WRITES_INDEX);
}

/** Row `i`'s vector: distinct for every row, seeded by its number. */
function vectorOf(i: number): number[] {
  return Array.from({ length: DIM }, (_, d) => Math.sin((i + 1) * 12.9898 + d * 78.233) * 100);
}

async function upsertRows(client: SquashClient, from: number, count: number): Promise<void> {
  const vectors = Array.from({ length: count }, (_, k) => ({
    id: `r${from + k}`,
    vector: vectorOf(from + k),
  }));
  await client.upsert(WRITES_INDEX, { vectors });
}

/**
 * Row `row`'s own vector finds it first. topK 10, not 1: once the rows are indexed the search is
 * approximate (candidates are chosen on quantized codes, then ranked by exact distance), and on
 * this uniform 8-dimension data a candidate list sized for topK 1 can miss the row itself when a
 * near-duplicate is closer in code space; it was so for r1003 after the incremental compaction.
 */
async function expectNearest(client: SquashClient, row: number): Promise<void> {
  const answer = await client.query(WRITES_INDEX, { vector: vectorOf(row), topK: 10 });
  const match = answer.matches[0];
  if (match?.id !== `r${row}` || answer.complete !== true) {
    throw new Error(
      `write check: the nearest row to r${row}'s own vector is ${JSON.stringify(match)} (complete: ${answer.complete}); expected r${row}`,
    );
  }
}

/** The rows are stored with their vectors (as float32), read by id. */
async function expectRows(client: SquashClient, rows: readonly number[]): Promise<void> {
  const ids = rows.map((i) => `r${i}`);
  const fetched = await client.fetchVectors(WRITES_INDEX, { ids, include: ['vector'] });
  const got = fetched.vectors.map((v) => ({ id: v.id, vector: v.vector }));
  const expected = rows.map((i) => ({ id: `r${i}`, vector: vectorOf(i).map(Math.fround) }));
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    throw new Error(`write check: fetching ${ids.join(', ')} gave ${JSON.stringify(got).slice(0, 300)}`);
  }
}

/** Waits until the index serves a version other than `previous` holding `rows` rows. */
async function waitForVersion(
  client: SquashClient,
  previous: string | undefined,
  rows: number,
): Promise<string> {
  const deadline = Date.now() + COMPACTION_WAIT_MS;
  let last = await client.describeIndex(WRITES_INDEX);
  while (Date.now() < deadline) {
    if (last.version !== '' && last.version !== previous && last.count === rows) return last.version;
    await new Promise((resolve) => setTimeout(resolve, 500));
    last = await client.describeIndex(WRITES_INDEX);
  }
  throw new Error(
    `write check: no compaction published a version of ${rows} rows within ${COMPACTION_WAIT_MS / 1000} s (serving ${JSON.stringify(last)})`,
  );
}
