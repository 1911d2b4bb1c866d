import { isMetric, type Metric, validateAttributeSchema } from '@squash/core';
import { assertBlobKey } from '@squash/storage';
import { BLOCK_HEADER_BYTES } from './binary-array.ts';
import { IndexCorruptError } from './index-format-errors.ts';
import {
  type AttributeEntry,
  type AttributesManifest,
  INDEX_FORMAT,
  INDEX_FORMAT_VERSION,
  type IndexManifest,
  type JsonDouble,
  manifestObjects,
  type ObjectRef,
  type PartitionEntry,
  type QuantizerScalars,
} from './manifest.ts';
import { manifestKey } from './store-layout.ts';

type Json = Record<string, unknown>;

/**
 * Checks a parsed manifest field by field and returns it typed. Everything a loader later relies
 * on is checked here (types, counts that must agree, the exact size of each vectors object that
 * ranged reads depend on), so a bad manifest fails at load with the field's path, not in a search.
 *
 * @throws IndexCorruptError naming the manifest key.
 */
export function parseManifest(json: unknown, version: string): IndexManifest {
  const key = manifestKey(version);
  const fail = (path: string, problem: string): never => {
    throw new IndexCorruptError(key, `manifest ${key}: ${path} ${problem}`);
  };
  const root = object(json, 'manifest', fail);
  if (root.format !== INDEX_FORMAT)
    fail('format', `is ${JSON.stringify(root.format)}; expected "${INDEX_FORMAT}"`);
  if (root.formatVersion !== INDEX_FORMAT_VERSION) {
    fail(
      'formatVersion',
      `is ${JSON.stringify(root.formatVersion)}; this reader supports ${INDEX_FORMAT_VERSION}`,
    );
  }
  if (root.version !== version)
    fail('version', `is ${JSON.stringify(root.version)}; the manifest is stored under ${version}`);
  const metric = root.metric;
  if (!isMetric(metric)) fail('metric', `is ${JSON.stringify(metric)}`);
  const dim = integer(root.dim, 'dim', fail, 1);
  const reducedDim = integer(root.reducedDim, 'reducedDim', fail, 1, dim);
  const count = integer(root.count, 'count', fail, 1);
  const idsKind = root.idsKind;
  if (idsKind !== 'row-number' && idsKind !== 'strings') fail('idsKind', `is ${JSON.stringify(idsKind)}`);
  const build = object(root.buildParameters, 'buildParameters', fail);
  const routing = object(root.routing, 'routing', fail);
  const attributes = root.attributes === null ? null : parseAttributes(root.attributes, fail);
  const context = { metric: metric as Metric, dim, reducedDim, attributes, idsKind: idsKind as string };
  const partitions = array(root.partitions, 'partitions', fail).map((entry, p) =>
    parsePartition(entry, p, context, fail),
  );
  const manifest: IndexManifest = {
    format: INDEX_FORMAT,
    formatVersion: INDEX_FORMAT_VERSION,
    name: string(root.name, 'name', fail),
    version,
    createdAt: string(root.createdAt, 'createdAt', fail),
    metric: metric as Metric,
    dim,
    reducedDim,
    count,
    // Absent in manifests written before writes existed: nothing of the log is folded into them.
    logSequence: root.logSequence === undefined ? 0 : integer(root.logSequence, 'logSequence', fail, 0),
    idsKind: idsKind as IndexManifest['idsKind'],
    buildParameters: {
      partitions: integer(build.partitions, 'buildParameters.partitions', fail, 1),
      leanvecDim: integer(build.leanvecDim, 'buildParameters.leanvecDim', fail, 1),
      bitsPerDim: integer(build.bitsPerDim, 'buildParameters.bitsPerDim', fail, 1),
      seed: integer(build.seed, 'buildParameters.seed', fail, Number.MIN_SAFE_INTEGER),
    },
    leanvec: objectRef(root.leanvec, 'leanvec', fail),
    routing: {
      centroids: objectRef(routing.centroids, 'routing.centroids', fail),
      radii: objectRef(routing.radii, 'routing.radii', fail),
      membership: objectRef(routing.membership, 'routing.membership', fail),
      ...(attributes === null
        ? {}
        : {
            quantizedAttributes: objectRef(routing.quantizedAttributes, 'routing.quantizedAttributes', fail),
          }),
    },
    attributes,
    partitions,
    totalBytes: integer(root.totalBytes, 'totalBytes', fail, 0),
  };
  const rows = partitions.reduce((sum, partition) => sum + partition.rows, 0);
  if (rows !== count) fail('partitions', `hold ${rows} rows; count is ${count}`);
  const bytes = manifestObjects(manifest).reduce((sum, ref) => sum + ref.bytes, 0);
  if (bytes !== manifest.totalBytes)
    fail('totalBytes', `is ${manifest.totalBytes}; the objects sum to ${bytes}`);
  return manifest;
}

type Fail = (path: string, problem: string) => never;

interface PartitionContext {
  readonly metric: Metric;
  readonly dim: number;
  readonly reducedDim: number;
  readonly attributes: AttributesManifest | null;
  readonly idsKind: string;
}

function parsePartition(json: unknown, p: number, context: PartitionContext, fail: Fail): PartitionEntry {
  const at = `partitions[${p}]`;
  const entry = object(json, at, fail);
  if (entry.id !== p) fail(`${at}.id`, `is ${JSON.stringify(entry.id)}; expected ${p}`);
  const rows = integer(entry.rows, `${at}.rows`, fail, 0);
  const centroid = array(entry.centroid, `${at}.centroid`, fail);
  if (centroid.length !== context.reducedDim || !centroid.every((v) => typeof v === 'number')) {
    fail(`${at}.centroid`, `must be ${context.reducedDim} numbers`);
  }
  const objects = object(entry.objects, `${at}.objects`, fail);
  const ref = (name: string): ObjectRef => objectRef(objects[name], `${at}.objects.${name}`, fail);
  const vectors = ref('vectors');
  const expected = BLOCK_HEADER_BYTES + Math.ceil((rows * context.dim * 4) / 8) * 8;
  if (vectors.bytes !== expected)
    fail(`${at}.objects.vectors.bytes`, `is ${vectors.bytes}; ${rows} rows need ${expected}`);
  return {
    id: p,
    rows,
    centroid: centroid as number[],
    radius: number(entry.radius, `${at}.radius`, fail),
    quantizer: parseQuantizer(entry.quantizer, `${at}.quantizer`, context.reducedDim, fail),
    objects: {
      vectors,
      osqCodes: ref('osqCodes'),
      binaryCodes: ref('binaryCodes'),
      rowIds: ref('rowIds'),
      quantizer: ref('quantizer'),
      ...(context.attributes === null ? {} : { attributes: ref('attributes') }),
      ...(context.idsKind === 'strings' ? { ids: ref('ids') } : {}),
      ...(objects.metadata === undefined ? {} : { metadata: ref('metadata') }),
    },
  };
}

function parseQuantizer(json: unknown, at: string, reducedDim: number, fail: Fail): QuantizerScalars {
  const q = object(json, at, fail);
  if (!isMetric(q.metric)) fail(`${at}.metric`, `is ${JSON.stringify(q.metric)}`);
  const mse = q.meanSquaredError;
  if (typeof mse !== 'number' && mse !== 'NaN' && mse !== 'Infinity' && mse !== '-Infinity') {
    fail(`${at}.meanSquaredError`, `is ${JSON.stringify(mse)}`);
  }
  const totalBits = integer(q.totalBits, `${at}.totalBits`, fail, 0, reducedDim * 8);
  const bytesPerVector = integer(q.bytesPerVector, `${at}.bytesPerVector`, fail, 0);
  if (bytesPerVector !== Math.ceil(totalBits / 8))
    fail(`${at}.bytesPerVector`, `does not fit totalBits ${totalBits}`);
  const binaryDims = integer(q.binaryDims, `${at}.binaryDims`, fail, 0, reducedDim);
  const binaryWordsPerVector = integer(q.binaryWordsPerVector, `${at}.binaryWordsPerVector`, fail, 0);
  if (binaryWordsPerVector !== Math.ceil(binaryDims / 32)) {
    fail(`${at}.binaryWordsPerVector`, `does not fit binaryDims ${binaryDims}`);
  }
  return {
    metric: q.metric as Metric,
    dim: integer(q.dim, `${at}.dim`, fail, reducedDim, reducedDim),
    totalBits,
    bytesPerVector,
    cellCount: integer(q.cellCount, `${at}.cellCount`, fail, reducedDim),
    binaryDims,
    binaryWordsPerVector,
    meanSquaredError: mse as JsonDouble,
  };
}

function parseAttributes(json: unknown, fail: Fail): AttributesManifest {
  const attributes = object(json, 'attributes', fail);
  let schema: AttributesManifest['schema'] = {};
  try {
    schema = validateAttributeSchema(attributes.schema);
  } catch (error) {
    fail('attributes.schema', `is invalid: ${(error as Error).message}`);
  }
  const columns = array(attributes.columns, 'attributes.columns', fail).map((column, i) =>
    parseAttributeEntry(column, `attributes.columns[${i}]`, schema, fail),
  );
  const names = new Set(columns.map((c) => c.name));
  if (names.size !== columns.length || names.size !== Object.keys(schema).length) {
    fail('attributes.columns', 'must list every schema attribute once');
  }
  return { schema, columns };
}

function parseAttributeEntry(
  json: unknown,
  at: string,
  schema: AttributesManifest['schema'],
  fail: Fail,
): AttributeEntry {
  const entry = object(json, at, fail);
  const name = string(entry.name, `${at}.name`, fail);
  const type = Object.hasOwn(schema, name)
    ? schema[name]!.type
    : fail(`${at}.name`, `"${name}" is not in the schema`);
  if (entry.type !== type) fail(`${at}.type`, `is ${JSON.stringify(entry.type)}; the schema says ${type}`);
  if (type === 'boolean') return { name, type };
  if (type === 'category') {
    const dictionary = array(entry.dictionary, `${at}.dictionary`, fail);
    if (!dictionary.every((s) => typeof s === 'string')) fail(`${at}.dictionary`, 'must hold strings');
    const codeBits = entry.codeBits;
    if (codeBits !== 8 && codeBits !== 16)
      fail(`${at}.codeBits`, `is ${JSON.stringify(codeBits)}; allowed 8, 16`);
    return { name, type, dictionary: dictionary as string[], codeBits: codeBits as 8 | 16 };
  }
  const cellCount = integer(entry.cellCount, `${at}.cellCount`, fail, 0, 255);
  if (typeof entry.exact !== 'boolean') fail(`${at}.exact`, 'must be a boolean');
  return {
    name,
    type,
    cellCount,
    missingCode: integer(entry.missingCode, `${at}.missingCode`, fail, cellCount, cellCount),
    exact: entry.exact as boolean,
  };
}

function objectRef(json: unknown, at: string, fail: Fail): ObjectRef {
  const ref = object(json, at, fail);
  const key = string(ref.key, `${at}.key`, fail);
  try {
    assertBlobKey(key);
  } catch {
    fail(`${at}.key`, `${JSON.stringify(key)} is not a valid relative key`);
  }
  if (typeof ref.crc32c !== 'string' || !/^[0-9a-f]{8}$/.test(ref.crc32c)) {
    fail(`${at}.crc32c`, `is ${JSON.stringify(ref.crc32c)}; expected 8 lowercase hex digits`);
  }
  return { key, bytes: integer(ref.bytes, `${at}.bytes`, fail, 0), crc32c: ref.crc32c as string };
}

function object(value: unknown, at: string, fail: Fail): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(at, 'must be an object');
  return value as Json;
}

function array(value: unknown, at: string, fail: Fail): unknown[] {
  if (!Array.isArray(value)) fail(at, 'must be an array');
  return value as unknown[];
}

function string(value: unknown, at: string, fail: Fail): string {
  if (typeof value !== 'string') fail(at, `is ${JSON.stringify(value)}; expected a string`);
  return value as string;
}

function number(value: unknown, at: string, fail: Fail): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    fail(at, `is ${JSON.stringify(value)}; expected a number`);
  return value as number;
}

function integer(value: unknown, at: string, fail: Fail, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    fail(at, `is ${JSON.stringify(value)}; expected an integer ${min}..${max}`);
  }
  return value as number;
}
