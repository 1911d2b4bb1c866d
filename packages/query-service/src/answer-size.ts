import { MAX_SYNC_PAYLOAD_BYTES } from '@squash/contracts';
import type { PinnedManifest } from './index-access.ts';
import { RequestError } from './request-error.ts';

/**
 * Byte planning of the query path. Every answer travels as one synchronous Lambda payload (at
 * most `MAX_SYNC_PAYLOAD_BYTES`): processor and tree-node answers as JSON, the coordinator's HTTP
 * answer as a JSON string inside the API Gateway result (so each `"` and `\` costs one more
 * byte). The sizes here are upper bounds per row computed from the index's manifest: the longest
 * id (exact for row-number ids, `STRING_ID_BYTES` assumed for string ids), the longest distance
 * a double prints as, and the longest value of each attribute column.
 */

/** The longest double JavaScript prints (24 characters), as an exemplar value. */
const LONGEST_DOUBLE = -1.2345678901234567e-308;
/**
 * Bytes assumed for a string id (the manifest does not record the longest). An index with longer
 * ids is still answered: tree nodes halve a query set whose answer exceeds the limit, and the
 * HTTP layer measures the final answer.
 */
export const STRING_ID_BYTES = 64;
/** Room kept in every payload for the envelope, usage, query status and faults. */
export const ENVELOPE_BYTES = 64 * 1024;
/** Per query in an HTTP answer: `{"matches":[],"complete":false}` escaped, and a comma. */
const RESULT_OVERHEAD_BYTES = 48;

/** Upper bounds of one row's bytes, per place it travels. */
export interface RowBytes {
  /** A `WireHit` in a processor or tree-node answer (JSON). */
  readonly wire: number;
  /** A match in the HTTP answer, escaped into the Lambda result. */
  readonly answer: number;
}

/** Upper bounds of one row's bytes for an index, with or without its attributes. */
export function rowBytes(manifest: PinnedManifest, includeAttributes: boolean): RowBytes {
  const format = manifest.manifest;
  const id =
    format.idsKind === 'row-number'
      ? '9'.repeat(String(Math.max(0, manifest.count - 1)).length)
      : 'x'.repeat(STRING_ID_BYTES);
  const attributes =
    includeAttributes && format.attributes !== null
      ? exemplarAttributes(format.attributes.columns)
      : undefined;
  const match = { id, distance: LONGEST_DOUBLE, ...(attributes === undefined ? {} : { attributes }) };
  const wire = {
    id,
    row: Math.max(0, manifest.count - 1),
    distance: LONGEST_DOUBLE,
    partition: Math.max(0, manifest.partitionCount - 1),
    local: Math.max(0, manifest.count - 1),
    ...(attributes === undefined ? {} : { attributes }),
  };
  const wireJson = JSON.stringify(wire);
  const answerJson = JSON.stringify(match);
  return {
    wire: Buffer.byteLength(wireJson) + 1,
    answer: Buffer.byteLength(answerJson) + escapes(answerJson) + 1,
  };
}

/** The largest answer `topKs` can take, in bytes (HTTP answer, escaped into the Lambda result). */
export function answerBytesBound(topKs: readonly number[], rows: readonly RowBytes[]): number {
  let bytes = ENVELOPE_BYTES;
  topKs.forEach((topK, q) => {
    bytes += RESULT_OVERHEAD_BYTES + topK * rows[q]!.answer;
  });
  return bytes;
}

/**
 * Refuses, before any work, a request whose answer could exceed the synchronous payload limit:
 * 400 `ANSWER_TOO_LARGE`, naming the bound, the limit and what would fit.
 */
export function assertAnswerFits(
  topKs: readonly number[],
  rows: readonly RowBytes[],
  maxPayloadBytes = MAX_SYNC_PAYLOAD_BYTES,
): void {
  const bound = answerBytesBound(topKs, rows);
  if (bound <= maxPayloadBytes) return;
  const matches = topKs.reduce((sum, k) => sum + k, 0);
  const widest = Math.max(...rows.map((r) => r.answer));
  const fits = Math.floor((maxPayloadBytes - ENVELOPE_BYTES - topKs.length * RESULT_OVERHEAD_BYTES) / widest);
  throw new RequestError(
    'ANSWER_TOO_LARGE',
    `the answer to ${topKs.length === 1 ? 'this query' : `these ${topKs.length} queries`} could take ${bound} bytes (${matches} matches of up to ${widest} bytes each); an answer carries at most ${maxPayloadBytes} bytes, about ${Math.max(0, fits)} matches in total for this index and request: lower topK, leave out include, or split the batch`,
  );
}

function exemplarAttributes(
  columns: NonNullable<PinnedManifest['manifest']['attributes']>['columns'],
): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const column of columns) {
    switch (column.type) {
      case 'number':
      case 'integer':
        out[column.name] = LONGEST_DOUBLE;
        break;
      case 'boolean':
        out[column.name] = false;
        break;
      case 'category':
        out[column.name] = longestString(column.dictionary);
        break;
    }
  }
  return out;
}

/** The dictionary value taking the most bytes once JSON-encoded and escaped (null when empty). */
function longestString(values: readonly string[]): string | null {
  let best: string | null = null;
  let bestBytes = 4;
  for (const value of values) {
    const json = JSON.stringify(value);
    const bytes = Buffer.byteLength(json) + escapes(json);
    if (bytes > bestBytes) {
      best = value;
      bestBytes = bytes;
    }
  }
  return best;
}

/** Characters JSON escapes once more when this JSON text becomes a JSON string: `"` and `\`. */
function escapes(json: string): number {
  let n = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 34 || c === 92) n++;
  }
  return n;
}

/**
 * Bytes one match adds to the HTTP answer for its includes: a vector of `dim` floats (each at
 * most 24 characters and a comma, float32 values printed as doubles), and a metadata object of
 * at most `maxMetadataBytes` (the longest stored; at most 40 KB), escaped (a JSON string inside
 * the Lambda result: every `"` may double, so twice its size bounds it).
 */
export function includeBytes(
  dim: number,
  vector: boolean,
  metadata: boolean,
  maxMetadataBytes: number,
): number {
  return (vector ? 12 + dim * 25 : 0) + (metadata ? 16 + 2 * maxMetadataBytes : 0);
}

/**
 * Upper bounds of a row of an index without a version yet (every row in the log): the id as
 * `STRING_ID_BYTES`, every attribute as the longest double (category values are not bounded
 * before they are read; the HTTP layer measures the final answer).
 */
export function tailRowBytes(
  schema: Readonly<Record<string, unknown>>,
  includeAttributes: boolean,
): RowBytes {
  const match = {
    id: 'x'.repeat(STRING_ID_BYTES),
    distance: LONGEST_DOUBLE,
    ...(includeAttributes
      ? { attributes: Object.fromEntries(Object.keys(schema).map((name) => [name, LONGEST_DOUBLE])) }
      : {}),
  };
  const json = JSON.stringify(match);
  return { wire: Buffer.byteLength(json) + 1, answer: Buffer.byteLength(json) + escapes(json) + 1 };
}

/**
 * A bound on the longest row metadata of a version, in bytes: its largest metadata object (one
 * row's JSON cannot exceed the object holding it), at most `maxMetadataBytes` (the write limit).
 * 0 when no partition stores metadata.
 */
export function baseMetadataBytes(manifest: PinnedManifest, maxMetadataBytes: number): number {
  let most = 0;
  for (const partition of manifest.manifest.partitions) {
    const bytes = partition.objects.metadata?.bytes ?? 0;
    most = Math.max(most, Math.min(bytes, maxMetadataBytes));
  }
  return most;
}
