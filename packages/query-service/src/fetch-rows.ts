import { quote } from '@squash/errors';
import type { RowLocation } from '@squash/index-format';
import { attributesOfRow } from './attribute-values.ts';
import type { IndexAccess } from './index-access.ts';
import type { IndexView } from './index-states.ts';
import { RequestError } from './request-error.ts';
import { INCLUDE_VALUES } from './validate-query.ts';
import { WriteError } from './write-error.ts';

/** Most ids one fetch may name. */
export const MAX_FETCH_IDS = 1000;

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
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RequestError('INVALID_REQUEST', 'body must be a JSON object with an "ids" array');
  }
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'ids' && key !== 'include') {
      throw new RequestError('INVALID_REQUEST', `unknown field ${quote(key)}; allowed: ids, include`);
    }
  }
  const ids = record.ids;
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > MAX_FETCH_IDS) {
    throw new RequestError(
      'INVALID_REQUEST',
      `ids must be an array of 1..${MAX_FETCH_IDS} ids; got ${Array.isArray(ids) ? `${ids.length} entries` : quote(ids)}`,
    );
  }
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (typeof id !== 'string' || id === '') {
      throw new WriteError('INVALID_ID', `ids[${i}] is ${quote(id)}; allowed: a non-empty string`);
    }
    if (seen.has(id)) throw new WriteError('DUPLICATE_ID', `ids[${i}] repeats the id ${quote(id)}`);
    seen.add(id);
  });
  const include = record.include ?? [];
  if (!Array.isArray(include) || include.some((v) => !INCLUDE_VALUES.includes(v))) {
    throw new RequestError(
      'INVALID_REQUEST',
      `include is ${quote(include)}; allowed: an array of ${INCLUDE_VALUES.map((v) => `"${v}"`).join(', ')}`,
    );
  }
  return {
    ids: ids as string[],
    includeAttributes: include.includes('attributes'),
    includeMetadata: include.includes('metadata'),
    includeVector: include.includes('vector'),
  };
}

/**
 * The live rows of `fetch.ids`, in request order; ids that do not exist (or were deleted) are left
 * out. A tail row is answered from the folded log; a base row is found through the version's id
 * map (`readIdLocations`, loaded once per version) and read by partition: its vector with ranged
 * GETs, and, when attributes are asked for, its whole partition (attributes are stored per
 * partition, not per row). Base rows carry no metadata until versions store it.
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
  if (base === undefined || wanted.length === 0 || (!fetch.includeVector && !fetch.includeAttributes)) return;
  const byPartition = new Map<number, Array<{ i: number; row: number }>>();
  for (const { i, at } of wanted) {
    const list = byPartition.get(at.partition) ?? [];
    if (list.length === 0) byPartition.set(at.partition, list);
    list.push({ i, row: at.row });
  }
  await Promise.all(
    [...byPartition].map(async ([partition, list]) => {
      if (fetch.includeAttributes) {
        const loaded = await access.partition(view.uri, base.manifest, partition);
        for (const { i, row } of list) {
          const out = rows[i]!;
          const columns = loaded.data.attributes;
          out.attributes = columns === undefined ? {} : attributesOfRow(columns, row);
          if (fetch.includeVector) {
            out.vector = Array.from(loaded.data.vectors.subarray(row * view.dim, (row + 1) * view.dim));
          }
        }
        return;
      }
      const vectors = await access.vectorRows(
        view.uri,
        base.manifest,
        partition,
        list.map((r) => r.row),
      );
      list.forEach(({ i }, k) => {
        rows[i]!.vector = Array.from(vectors.subarray(k * view.dim, (k + 1) * view.dim));
      });
    }),
  );
}
