import { MAX_WRITE_ROWS, ROUTE_SCHEMAS } from '@squash/contracts';
import { quote } from '@squash/errors';
import type { RowLocation } from '@squash/index-format';
import { attributesOfRow } from './attribute-values.ts';
import type { IndexAccess } from './index-access.ts';
import type { IndexView } from './index-states.ts';
import { type RowExtras, readBaseExtras } from './row-includes.ts';
import { validateBody } from './validate-body.ts';
import { WriteError } from './write-error.ts';

/** Most ids one fetch may name. */
export const MAX_FETCH_IDS = MAX_WRITE_ROWS;

/** A fetch request after validation. */
export interface ValidFetch {
  readonly ids: readonly string[];
  readonly includeAttributes: boolean;
  readonly includeMetadata: boolean;
  readonly includeVector: boolean;
}

/** One fetched row. */
export interface FetchedRow {
  readonly id: string;
  vector?: number[];
  attributes?: Record<string, string | number | boolean | null>;
  metadata?: Record<string, unknown>;
}

export interface FetchResponse {
  readonly vectors: FetchedRow[];
}

/** Validates `{"ids": [...], "include": [...]}`: 1..1000 distinct string ids. */
export function validateFetch(body: unknown): ValidFetch {
  const record = validateBody(ROUTE_SCHEMAS.fetchVectors.body, body);
  const ids = record.ids;
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (id === '')
      throw new WriteError('INVALID_ID', `ids[${i}] is the empty string; allowed: a non-empty string`);
    if (seen.has(id)) throw new WriteError('DUPLICATE_ID', `ids[${i}] repeats the id ${quote(id)}`);
    seen.add(id);
  });
  const include: readonly string[] = record.include ?? [];
  return {
    ids,
    includeAttributes: include.includes('attributes'),
    includeMetadata: include.includes('metadata'),
    includeVector: include.includes('vector'),
  };
}

/**
 * The live rows of `fetch.ids`, in request order; ids that do not exist (or were deleted) are left
 * out. A tail row is answered from the folded log; a base row is found through the version's id
 * map (`readIdLocations`, loaded once per version) and read by partition: its vector and metadata
 * with ranged GETs, and, when attributes are asked for, its whole partition (attributes are
 * stored per partition, not per row).
 */
export async function fetchRows(
  view: IndexView,
  access: IndexAccess,
  fetch: ValidFetch,
): Promise<FetchResponse> {
  const rows: Array<FetchedRow | undefined> = fetch.ids.map(() => undefined);
  const wanted: Array<{ i: number; at: RowLocation }> = [];
  const locations = view.base === undefined ? undefined : await view.base.locations();
  fetch.ids.forEach((id, i) => {
    const tailRow = view.tail?.row(id);
    if (tailRow !== undefined) {
      const row: FetchedRow = { id };
      if (fetch.includeVector) row.vector = Array.from(tailRow.vector);
      if (fetch.includeAttributes) row.attributes = view.tail!.attributesOf(tailRow);
      if (fetch.includeMetadata && tailRow.metadata !== undefined) row.metadata = { ...tailRow.metadata };
      rows[i] = row;
      return;
    }
    if (view.tail?.masked.has(id) === true) return;
    const at = locations?.get(id);
    if (at === undefined) return;
    rows[i] = { id };
    wanted.push({ i, at });
  });
  await readBaseRows(view, access, fetch, wanted, rows);
  return { vectors: rows.filter((row): row is FetchedRow => row !== undefined) };
}

async function readBaseRows(
  view: IndexView,
  access: IndexAccess,
  fetch: ValidFetch,
  wanted: ReadonlyArray<{ i: number; at: RowLocation }>,
  rows: Array<FetchedRow | undefined>,
): Promise<void> {
  const base = view.base;
  if (base === undefined || wanted.length === 0) return;
  const want = { vector: fetch.includeVector, metadata: fetch.includeMetadata };
  const extras = wanted.map(() => ({}) as RowExtras);
  const reads: Array<Promise<void>> = [];
  if (want.vector || want.metadata) {
    reads.push(
      readBaseExtras(
        view,
        access,
        wanted.map(({ at }, k) => ({ partition: at.partition, local: at.row, into: extras[k]!, want })),
      ),
    );
  }
  if (fetch.includeAttributes) {
    // Attributes are stored per partition, not per row: the row's partition is loaded.
    const partitions = [...new Set(wanted.map(({ at }) => at.partition))];
    reads.push(
      Promise.all(
        partitions.map(async (partition) => {
          const columns = (await access.partition(view.uri, base.manifest, partition)).data.attributes;
          for (const { i, at } of wanted) {
            if (at.partition === partition)
              rows[i]!.attributes = columns === undefined ? {} : attributesOfRow(columns, at.row);
          }
        }),
      ).then(() => undefined),
    );
  }
  await Promise.all(reads);
  wanted.forEach(({ i }, k) => {
    const extra = extras[k]!;
    const row = rows[i]!;
    if (extra.vector !== undefined) row.vector = extra.vector;
    if (extra.metadata !== undefined) row.metadata = extra.metadata;
  });
}
