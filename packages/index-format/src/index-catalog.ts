import { type AttributeSchema, isMetric, type Metric, validateAttributeSchema } from '@squash/core';
import { InvalidArgumentError, quote, SquashError } from '@squash/errors';
import type { BlobStore } from '@squash/storage';
import { IndexCorruptError } from './index-format-errors.ts';
import type { IndexManifest } from './manifest.ts';
import { jsonBytes, parseJsonObject } from './read-object.ts';

/**
 * The indexes under one store root (a directory, or `s3://bucket/prefix`), created and deleted
 * at run time:
 *
 * ```
 * _indexes/<name>.json     the definition: {"format": "squash-index", "name", "dim", "metric", "schema", "createdAt"}
 * <name>/CURRENT           the index's data, laid out as in store-layout.ts, plus its write log
 * <name>/versions/...
 * <name>/log/...
 * ```
 *
 * The definition is the index's existence: it is created with one conditional PUT
 * (`If-None-Match: *`), so of two concurrent creates exactly one wins, and deleted first when the
 * index is deleted, so the index disappears atomically before its data is removed. Listing the
 * indexes lists only `_indexes/` (one small object per index), never the data. Index names start
 * with a letter or digit (`INDEX_NAME_PATTERN`), so no index folder can be `_indexes`.
 *
 * `squash build` registers what it builds here as well (`registerIndex`), so a built index is
 * served, and accepts writes, like one created through the API.
 */
export const CATALOG_PREFIX = '_indexes/';
export const DEFINITION_FORMAT = 'squash-index';

/** Longest index name (the HTTP API's `INDEX_NAME_PATTERN` allows the same). */
const MAX_NAME_LENGTH = 128;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const MAX_INDEX_DIM = 65_536;

/** What an index is: fixed when it is created. */
export interface IndexDefinition {
  readonly name: string;
  /** Dimension of every vector written to and queried on the index. */
  readonly dim: number;
  readonly metric: Metric;
  /** Attribute name -> type; rows may leave any attribute out (it is then missing). */
  readonly schema: AttributeSchema;
  /** ISO 8601 UTC time of the create. */
  readonly createdAt: string;
}

/** Codes of the catalog's errors (besides `INVALID_ARGUMENT`). */
export type CatalogErrorCode = 'INDEX_EXISTS';

/** An index of that name exists with a different definition. Code `INDEX_EXISTS` (HTTP 409). */
export class IndexExistsError extends SquashError<'INDEX_EXISTS'> {
  constructor(
    readonly existing: IndexDefinition,
    message: string,
  ) {
    super('INDEX_EXISTS', message);
  }
}

/** The key of an index's definition, relative to the root. */
export function definitionKey(name: string): string {
  assertIndexName(name);
  return `${CATALOG_PREFIX}${name}.json`;
}

/** The folder of an index's data, relative to the root (`<name>/`). */
export function indexDataPrefix(name: string): string {
  assertIndexName(name);
  return `${name}/`;
}

export function assertIndexName(name: string): void {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new InvalidArgumentError(
      'name',
      `index name ${quote(String(name))} is not allowed: 1..${MAX_NAME_LENGTH} characters, a letter or digit first, then letters, digits, ".", "_" or "-"`,
    );
  }
}

/**
 * Checks a definition as a caller sent it (`dim`, `metric`, `schema`) and returns it complete.
 * @throws InvalidArgumentError naming the field, the value and what is allowed.
 */
export function newDefinition(
  name: string,
  input: { dim: unknown; metric: unknown; schema?: unknown },
  now: Date = new Date(),
): IndexDefinition {
  assertIndexName(name);
  const { dim, metric } = input;
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1 || dim > MAX_INDEX_DIM) {
    throw new InvalidArgumentError(
      'dim',
      `dim is ${quote(String(dim))}; allowed: an integer 1..${MAX_INDEX_DIM}`,
    );
  }
  if (!isMetric(metric)) {
    throw new InvalidArgumentError('metric', `metric is ${quote(String(metric))}; allowed: l2, cosine, ip`);
  }
  const schema = validateAttributeSchema(input.schema ?? {});
  return { name, dim, metric, schema, createdAt: now.toISOString() };
}

/**
 * The definition of a built index under `name`, from its manifest (dim, metric, attribute schema,
 * creation time): what `squash build`, `npm run upload` and the compactor register for an index
 * that was built rather than created through the API.
 */
export function definitionOf(name: string, manifest: IndexManifest): IndexDefinition {
  return {
    name,
    dim: manifest.dim,
    metric: manifest.metric,
    schema: manifest.attributes?.schema ?? {},
    createdAt: manifest.createdAt,
  };
}

/** Whether two definitions describe the same index (`createdAt` aside). */
export function sameDefinition(a: IndexDefinition, b: IndexDefinition): boolean {
  if (a.name !== b.name || a.dim !== b.dim || a.metric !== b.metric) return false;
  const aNames = Object.keys(a.schema).sort();
  const bNames = Object.keys(b.schema).sort();
  return (
    aNames.length === bNames.length &&
    aNames.every((n, i) => n === bNames[i] && a.schema[n]!.type === b.schema[n]!.type)
  );
}

/**
 * Creates the index `definition.name` under `root`: `created: true` when this call made it,
 * `created: false` (and the stored definition) when the same definition already exists.
 *
 * Leftover data of a deleted index of the same name (a delete interrupted after its definition
 * went) is removed first, so a new index never sees an old one's log or versions.
 *
 * @throws IndexExistsError when an index of that name exists with a different definition.
 */
export async function createIndex(
  root: BlobStore,
  definition: IndexDefinition,
): Promise<{ created: boolean; definition: IndexDefinition }> {
  const existing = await readIndexDefinition(root, definition.name);
  if (existing !== undefined) return settle(existing, definition);
  await deleteData(root, definition.name);
  try {
    await root.put(definitionKey(definition.name), encodeDefinition(definition), {
      ifNoneMatch: '*',
      contentType: 'application/json',
    });
    return { created: true, definition };
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'PRECONDITION_FAILED') throw error;
    // A concurrent create won: same definition is success, a different one a conflict.
    const winner = await readIndexDefinition(root, definition.name);
    if (winner === undefined) throw error;
    return settle(winner, definition);
  }
}

/**
 * Records an index built in place (`squash build --out <root>/<name>`) in the catalog, unless a
 * definition exists already: the index's first manifest gives dim, metric and schema.
 */
export async function registerIndex(root: BlobStore, definition: IndexDefinition): Promise<void> {
  try {
    await root.put(definitionKey(definition.name), encodeDefinition(definition), {
      ifNoneMatch: '*',
      contentType: 'application/json',
    });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'PRECONDITION_FAILED') throw error;
    const existing = await readIndexDefinition(root, definition.name);
    if (existing !== undefined && !sameDefinition(existing, definition)) {
      throw new IndexExistsError(
        existing,
        `index ${quote(definition.name)} is registered with ${describe(existing)}; the build has ${describe(definition)}`,
      );
    }
  }
}

/** The definition of `name`, or undefined when no such index exists. */
export async function readIndexDefinition(
  root: BlobStore,
  name: string,
): Promise<IndexDefinition | undefined> {
  const key = definitionKey(name);
  const bytes = await root.get(key);
  return bytes === undefined ? undefined : decodeDefinition(bytes, key);
}

/** Every index under `root`, by name. One LIST of `_indexes/` and one GET per index. */
export async function listIndexDefinitions(root: BlobStore): Promise<IndexDefinition[]> {
  const keys: string[] = [];
  for await (const { key } of root.list(CATALOG_PREFIX)) if (key.endsWith('.json')) keys.push(key);
  const definitions = await Promise.all(
    keys.map(async (key) => {
      const bytes = await root.get(key);
      return bytes === undefined ? undefined : decodeDefinition(bytes, key);
    }),
  );
  return definitions
    .filter((d): d is IndexDefinition => d !== undefined)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Deletes the index `name`: its definition first (from then on it does not exist for readers,
 * writers or creates), then every object of its data. Returns false when there was no such index.
 */
export async function deleteIndex(root: BlobStore, name: string): Promise<boolean> {
  const key = definitionKey(name);
  const existed = (await root.head(key)) !== undefined;
  await root.delete(key);
  await deleteData(root, name);
  return existed;
}

async function deleteData(root: BlobStore, name: string): Promise<void> {
  const keys: string[] = [];
  for await (const { key } of root.list(indexDataPrefix(name))) keys.push(key);
  // CURRENT first, so a reader that still finds data finds no version rather than half of one.
  keys.sort((a, b) => Number(b.endsWith('/CURRENT')) - Number(a.endsWith('/CURRENT')));
  for (const key of keys) await root.delete(key);
}

function settle(
  existing: IndexDefinition,
  wanted: IndexDefinition,
): { created: boolean; definition: IndexDefinition } {
  if (sameDefinition(existing, wanted)) return { created: false, definition: existing };
  throw new IndexExistsError(
    existing,
    `index ${quote(wanted.name)} exists with ${describe(existing)}; the request asks for ${describe(wanted)} (delete it first to change it)`,
  );
}

function describe(d: IndexDefinition): string {
  const schema = Object.entries(d.schema)
    .map(([n, s]) => `${n}: ${s.type}`)
    .join(', ');
  return `dim ${d.dim}, metric ${d.metric}, schema {${schema}}`;
}

function encodeDefinition(d: IndexDefinition): Uint8Array {
  return jsonBytes({
    format: DEFINITION_FORMAT,
    name: d.name,
    dim: d.dim,
    metric: d.metric,
    schema: d.schema,
    createdAt: d.createdAt,
  });
}

function decodeDefinition(bytes: Uint8Array, key: string): IndexDefinition {
  const json = parseJsonObject(bytes, key) as Record<string, unknown> | null;
  if (typeof json !== 'object' || json === null || json.format !== DEFINITION_FORMAT) {
    throw new IndexCorruptError(key, `${key} is not a ${DEFINITION_FORMAT} definition`);
  }
  try {
    const definition = newDefinition(String(json.name), {
      dim: json.dim,
      metric: json.metric,
      schema: json.schema,
    });
    if (typeof json.createdAt !== 'string') throw new Error('createdAt is not a string');
    return { ...definition, createdAt: json.createdAt };
  } catch (error) {
    throw new IndexCorruptError(key, `${key}: ${(error as Error).message}`);
  }
}
