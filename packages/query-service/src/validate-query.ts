import { MAX_BATCH_QUERIES, MAX_TOP_K, type QueryRequest } from '@squash/contracts';
import { type AttributeSchema, type FilterAst, parseFilter } from '@squash/core';
import { quote } from '@squash/errors';
import { RequestError } from './request-error.ts';

/** Neighbours returned when a query leaves `topK` out. */
export const DEFAULT_TOP_K = 10;

/** A query request after validation. */
export interface ValidQuery {
  readonly vector: Float32Array;
  readonly topK: number;
  readonly filterJson: unknown;
  readonly filter: FilterAst | undefined;
  readonly includeAttributes: boolean;
  /** `include` has "metadata": matches carry their stored metadata object. */
  readonly includeMetadata: boolean;
  /** `include` has "vector": matches carry their full-precision vector. */
  readonly includeVector: boolean;
}

/** The values `include` takes on queries and fetches. */
export const INCLUDE_VALUES: readonly string[] = ['attributes', 'metadata', 'vector'];

const QUERY_FIELDS = new Set(['vector', 'topK', 'filter', 'include']);

/** Validates one query body against the index (`path` prefixes messages in a batch). */
export function validateQuery(body: unknown, dim: number, schema: AttributeSchema, path = ''): ValidQuery {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RequestError(
      'INVALID_REQUEST',
      `${path || 'body'} must be a JSON object with a "vector" field`,
    );
  }
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!QUERY_FIELDS.has(key)) {
      throw new RequestError(
        'INVALID_REQUEST',
        `unknown field ${path}${quote(key)}; allowed: ${[...QUERY_FIELDS].join(', ')}`,
      );
    }
  }
  const vector = validateVector(record.vector, dim, `${path}vector`);
  // Only an absent field takes the default: `null` is a value, and a wrong one (a client that
  // serialises an unset variable must not silently get 10 rows).
  const topK = record.topK === undefined ? DEFAULT_TOP_K : record.topK;
  if (typeof topK !== 'number' || !Number.isInteger(topK) || topK < 1 || topK > MAX_TOP_K) {
    throw new RequestError(
      'INVALID_REQUEST',
      `${path}topK is ${quote(topK)}; allowed: an integer 1..${MAX_TOP_K}, or leave it out for ${DEFAULT_TOP_K}`,
    );
  }
  const include = record.include === undefined ? [] : record.include;
  if (!Array.isArray(include) || include.some((v) => !INCLUDE_VALUES.includes(v))) {
    throw new RequestError(
      'INVALID_REQUEST',
      `${path}include is ${quote(include)}; allowed: an array of ${INCLUDE_VALUES.map((v) => `"${v}"`).join(', ')}`,
    );
  }
  const filter =
    record.filter === undefined || record.filter === null ? undefined : parseFilter(record.filter, schema);
  return {
    vector,
    topK,
    filterJson: filter === undefined ? undefined : record.filter,
    filter,
    includeAttributes: include.includes('attributes'),
    includeMetadata: include.includes('metadata'),
    includeVector: include.includes('vector'),
  };
}

function validateVector(value: unknown, dim: number, path: string): Float32Array {
  if (!Array.isArray(value)) {
    throw new RequestError(
      'INVALID_REQUEST',
      `${path} must be an array of ${dim} numbers; got ${describe(value)}`,
    );
  }
  if (value.length !== dim) {
    throw new RequestError(
      'DIMENSION_MISMATCH',
      `${path} has ${value.length} dimensions; the index expects ${dim}`,
    );
  }
  const vector = new Float32Array(dim);
  for (let j = 0; j < dim; j++) {
    const v = value[j];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new RequestError('INVALID_REQUEST', `${path}[${j}] is ${describe(v)}; allowed: finite numbers`);
    }
    vector[j] = v;
  }
  return vector;
}

/** Validates a batch body: `{"queries": [...]}` with 1..1000 queries. */
export function validateBatch(body: unknown, dim: number, schema: AttributeSchema): ValidQuery[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RequestError('INVALID_REQUEST', 'body must be a JSON object with a "queries" array');
  }
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'queries')
      throw new RequestError('INVALID_REQUEST', `unknown field ${quote(key)}; allowed: queries`);
  }
  const queries = record.queries;
  if (!Array.isArray(queries) || queries.length < 1 || queries.length > MAX_BATCH_QUERIES) {
    throw new RequestError(
      'INVALID_REQUEST',
      `queries must be an array of 1..${MAX_BATCH_QUERIES} query objects; got ${Array.isArray(queries) ? `${queries.length} entries` : describe(queries)}`,
    );
  }
  return queries.map((q, i) => validateQuery(q as QueryRequest, dim, schema, `queries[${i}].`));
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `the string ${quote(value, 40)}`;
  return Array.isArray(value) ? 'an array' : typeof value;
}
