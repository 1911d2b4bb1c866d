import {
  BatchQueryRequestSchema,
  DEFAULT_TOP_K,
  type QueryRequest,
  QueryRequestSchema,
} from '@squash/contracts';
import { type AttributeSchema, type FilterAst, parseFilter } from '@squash/core';
import { RequestError } from './request-error.ts';
import { validateBody } from './validate-body.ts';

export { DEFAULT_TOP_K };

/** A query request after validation. */
export interface ValidQuery {
  readonly vector: Float32Array;
  readonly topK: number;
  readonly filterJson: unknown;
  readonly filter: FilterAst | undefined;
  /** `include` has `"attributes"`: each match carries the row's attribute values. */
  readonly includeAttributes: boolean;
  /** `include` has `"metadata"`: each match carries the row's metadata object. */
  readonly includeMetadata: boolean;
  /** `include` has `"vector"`: each match carries the row's stored vector. */
  readonly includeVector: boolean;
}

/**
 * Validates one query body: its structure against `QueryRequestSchema` (`INVALID_REQUEST`), then
 * against the index: the vector's length (`DIMENSION_MISMATCH`) and the filter
 * (`INVALID_FILTER`). `path` prefixes messages (`queries[3].`).
 */
export function validateQuery(body: unknown, dim: number, schema: AttributeSchema, path = ''): ValidQuery {
  return checkAgainstIndex(
    validateBody(QueryRequestSchema, body, path.replace(/\.$/, '')),
    dim,
    schema,
    path,
  );
}

/**
 * Validates a batch body, `{"queries": [...]}` with 1..1000 queries: the whole structure first
 * (so a malformed query anywhere is reported before any index check), then each query against
 * the index, in order.
 */
export function validateBatch(body: unknown, dim: number, schema: AttributeSchema): ValidQuery[] {
  const { queries } = validateBody(BatchQueryRequestSchema, body);
  return queries.map((query, i) => checkAgainstIndex(query, dim, schema, `queries[${i}].`));
}

function checkAgainstIndex(
  query: QueryRequest,
  dim: number,
  schema: AttributeSchema,
  path: string,
): ValidQuery {
  if (query.vector.length !== dim) {
    throw new RequestError(
      'DIMENSION_MISMATCH',
      `${path}vector has ${query.vector.length} dimensions; the index expects ${dim}`,
    );
  }
  // Only an absent `topK` takes the default: the schema refuses `null` (a client that serialises
  // an unset variable must not silently get 10 rows). A `null` filter means no filter.
  const filter =
    query.filter === undefined || query.filter === null ? undefined : parseFilter(query.filter, schema);
  const include = new Set(query.include ?? []);
  return {
    vector: Float32Array.from(query.vector),
    topK: query.topK ?? DEFAULT_TOP_K,
    filterJson: filter === undefined ? undefined : query.filter,
    filter,
    includeAttributes: include.has('attributes'),
    includeMetadata: include.has('metadata'),
    includeVector: include.has('vector'),
  };
}
