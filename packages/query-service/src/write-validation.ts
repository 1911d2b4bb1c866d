import { describeValue, MAX_ID_BYTES, MAX_METADATA_BYTES, ROUTE_SCHEMAS } from '@squash/contracts';

export { MAX_ID_BYTES, MAX_METADATA_BYTES, MAX_WRITE_ROWS } from '@squash/contracts';

import type { AttributeSchema } from '@squash/core';
import { quote } from '@squash/errors';
import type { LogAttributeValue, LogOp } from '@squash/index-format';
import { validateBody } from './validate-body.ts';
import { WriteError } from './write-error.ts';

/** What the index a write goes to is (its definition). */
export interface WriteTarget {
  readonly dim: number;
  readonly schema: AttributeSchema;
}

const encoder = new TextEncoder();

/**
 * Checks an upsert body `{"vectors": [{id, vector, attributes?, metadata?}]}` whole and returns
 * its log operations; the first problem throws, so a request is applied whole or not at all.
 * Codes: `INVALID_REQUEST` (shape, unknown fields, non-finite numbers), `INVALID_ID`,
 * `DIMENSION_MISMATCH`, `INVALID_ATTRIBUTE`, `METADATA_TOO_LARGE`, `DUPLICATE_ID`.
 */
export function validateUpsert(body: unknown, target: WriteTarget): LogOp[] {
  // Structure (fields, types, 1..1000 rows) from the route's schema; what depends on the index or
  // that JSON Schema cannot say (UTF-8 length, duplicates, metadata size) below.
  const rows = validateBody(ROUTE_SCHEMAS.upsertVectors.body, body).vectors;
  const seen = new Set<string>();
  return rows.map((row, i) => {
    const where = `vectors[${i}]`;
    const id = checkId(row.id, `${where}.id`);
    if (seen.has(id))
      throw new WriteError('DUPLICATE_ID', `${where}.id ${quote(id)} appears twice in the request`);
    seen.add(id);
    const vector = checkVector(row.vector, target.dim, `${where}.vector`);
    const attributes =
      row.attributes === undefined ? undefined : checkAttributes(row.attributes, target.schema, where);
    const metadata =
      row.metadata === undefined ? undefined : checkMetadata(row.metadata, `${where}.metadata`);
    return {
      op: 'upsert',
      id,
      vector,
      ...(attributes === undefined ? {} : { attributes }),
      ...(metadata === undefined ? {} : { metadata }),
    };
  });
}

/** Checks a delete body `{"ids": [...]}` and returns its log operations (see `validateUpsert`). */
export function validateDelete(body: unknown): LogOp[] {
  const ids = validateBody(ROUTE_SCHEMAS.deleteVectors.body, body).ids as unknown[];
  const seen = new Set<string>();
  return ids.map((raw, i) => {
    const id = checkId(raw, `ids[${i}]`);
    if (seen.has(id))
      throw new WriteError('DUPLICATE_ID', `ids[${i}] ${quote(id)} appears twice in the request`);
    seen.add(id);
    return { op: 'delete', id };
  });
}

/** An id: a string of 1..512 UTF-8 bytes. */
export function checkId(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new WriteError(
      'INVALID_ID',
      `${where} is ${describeValue(value)}; allowed: a string of 1..${MAX_ID_BYTES} UTF-8 bytes`,
    );
  }
  const bytes = encoder.encode(value).byteLength;
  if (bytes > MAX_ID_BYTES) {
    throw new WriteError('INVALID_ID', `${where} is ${bytes} UTF-8 bytes long; allowed: 1..${MAX_ID_BYTES}`);
  }
  return value;
}

/** A vector the schema has already checked is an array of finite numbers: its length and float32 range. */
function checkVector(value: readonly number[], dim: number, where: string): Float32Array {
  if (value.length !== dim) {
    throw new WriteError(
      'DIMENSION_MISMATCH',
      `${where} has ${value.length} dimensions; the index expects ${dim}`,
    );
  }
  const vector = new Float32Array(dim);
  for (let j = 0; j < dim; j++) {
    const v = value[j]!;
    // Finite as float32 too: 1e39 is a finite double but Infinity once stored.
    if (!Number.isFinite(v) || !Number.isFinite(Math.fround(v))) {
      throw new WriteError(
        'INVALID_REQUEST',
        `${where}[${j}] is ${describeValue(v)}; allowed: finite numbers (float32 range)`,
      );
    }
    vector[j] = v;
  }
  return vector;
}

/** Attribute values known to the schema and of its type; null means missing. */
function checkAttributes(
  value: Readonly<Record<string, unknown>>,
  schema: AttributeSchema,
  where: string,
): Record<string, LogAttributeValue> {
  const out: Record<string, LogAttributeValue> = {};
  for (const [name, v] of Object.entries(value)) {
    const spec = Object.hasOwn(schema, name) ? schema[name] : undefined;
    const path = `${where}.attributes.${quote(name)}`;
    if (spec === undefined) {
      const known = Object.keys(schema);
      throw new WriteError(
        'INVALID_ATTRIBUTE',
        `${path} is not in the index's schema; allowed: ${known.length === 0 ? 'none (the index has no attributes)' : known.join(', ')}`,
      );
    }
    if (v === null) {
      out[name] = null;
      continue;
    }
    const ok =
      spec.type === 'number'
        ? typeof v === 'number' && Number.isFinite(v)
        : spec.type === 'integer'
          ? typeof v === 'number' && Number.isSafeInteger(v)
          : spec.type === 'category'
            ? typeof v === 'string'
            : typeof v === 'boolean';
    if (!ok) {
      throw new WriteError(
        'INVALID_ATTRIBUTE',
        `${path} is ${describeValue(v)}; allowed: ${allowedFor(spec.type)} or null`,
      );
    }
    out[name] = v as LogAttributeValue;
  }
  return out;
}

function allowedFor(type: string): string {
  switch (type) {
    case 'number':
      return 'a finite number';
    case 'integer':
      return 'an integer';
    case 'category':
      return 'a string';
    default:
      return 'true or false';
  }
}

/** Metadata the schema has already checked is a JSON object: its serialized size. */
function checkMetadata(value: Readonly<Record<string, unknown>>, where: string): Record<string, unknown> {
  const bytes = encoder.encode(JSON.stringify(value)).byteLength;
  if (bytes > MAX_METADATA_BYTES) {
    throw new WriteError(
      'METADATA_TOO_LARGE',
      `${where} is ${bytes} bytes as JSON; allowed: at most ${MAX_METADATA_BYTES} bytes (40 KB)`,
    );
  }
  return value as Record<string, unknown>;
}
