import { isMetric, METRICS, type Metric } from '../distance/metric.ts';
import { InvalidArgumentError } from '../errors/index.ts';
import { assertFinite } from '../linalg/matrix-validation.ts';
import { decodeFloat32Base64, encodeFloat32Base64 } from './float32-base64.ts';
import type { LeanVecKind, LeanVecModel } from './leanvec-model.ts';

export const LEANVEC_JSON_FORMAT = 'squash.leanvec';
export const LEANVEC_JSON_VERSION = 1;

/** The JSON form of a `LeanVecModel`; `JSON.stringify` / `JSON.parse` safe. */
export interface LeanVecModelJson {
  readonly format: typeof LEANVEC_JSON_FORMAT;
  readonly version: typeof LEANVEC_JSON_VERSION;
  readonly kind: LeanVecKind;
  readonly metric: Metric;
  readonly inputDim: number;
  readonly outputDim: number;
  /** Float64 numbers (JSON keeps them exactly), or null. */
  readonly mean: number[] | null;
  /** D x d row-major float32, base64 of the little-endian bytes. */
  readonly dataProjection: string;
  /** `ood` only, same encoding; omitted for `id`, whose query projection is the data projection. */
  readonly queryProjection?: string;
}

/** The JSON form of `model`; `leanVecFromJSON` restores it bit for bit. */
export function leanVecToJSON(model: LeanVecModel): LeanVecModelJson {
  return {
    format: LEANVEC_JSON_FORMAT,
    version: LEANVEC_JSON_VERSION,
    kind: model.kind,
    metric: model.metric,
    inputDim: model.inputDim,
    outputDim: model.outputDim,
    mean: model.mean === null ? null : [...model.mean],
    dataProjection: encodeFloat32Base64(model.dataProjection),
    ...(model.kind === 'ood' ? { queryProjection: encodeFloat32Base64(model.queryProjection) } : {}),
  };
}

/**
 * Restores a model from `leanVecToJSON` output (already `JSON.parse`d), checking every field: a
 * stored index whose projection does not fit its dimensions fails here, not in a search.
 *
 * @throws InvalidArgumentError (argument `json` or `json.<field>`) naming the first field that is
 *   missing, of the wrong type or inconsistent with the others.
 */
export function leanVecFromJSON(json: unknown): LeanVecModel {
  if (typeof json !== 'object' || json === null) {
    throw new InvalidArgumentError('json', 'LeanVec JSON must be an object');
  }
  const record = json as Record<string, unknown>;
  if (record.format !== LEANVEC_JSON_FORMAT || record.version !== LEANVEC_JSON_VERSION) {
    throw new InvalidArgumentError(
      'json.format',
      `LeanVec JSON has format ${JSON.stringify(record.format)} version ${JSON.stringify(record.version)}; ` +
        `allowed: ${JSON.stringify(LEANVEC_JSON_FORMAT)} version ${LEANVEC_JSON_VERSION}`,
    );
  }
  const kind = record.kind;
  if (kind !== 'id' && kind !== 'ood') {
    throw new InvalidArgumentError('json.kind', `json.kind is ${JSON.stringify(kind)}; allowed: id, ood`);
  }
  const metric = record.metric;
  if (!isMetric(metric)) {
    throw new InvalidArgumentError(
      'json.metric',
      `json.metric is ${JSON.stringify(metric)}; allowed: ${METRICS.join(', ')}`,
    );
  }
  const inputDim = integerField(record, 'inputDim', 1);
  const outputDim = integerField(record, 'outputDim', 1, inputDim);
  const mean = meanField(record.mean, metric, inputDim);
  const dataProjection = projectionField(record, 'dataProjection', inputDim * outputDim);
  const queryProjection =
    kind === 'id' ? dataProjection : projectionField(record, 'queryProjection', inputDim * outputDim);
  if (kind === 'id' && record.queryProjection !== undefined) {
    throw new InvalidArgumentError(
      'json.queryProjection',
      'json.queryProjection must be omitted for kind id',
    );
  }
  if (kind === 'ood' && metric === 'l2') {
    throw new InvalidArgumentError(
      'json.kind',
      "json.kind is ood with metric 'l2'; ood models are 'ip' or 'cosine'",
    );
  }
  return { kind, metric, inputDim, outputDim, mean, dataProjection, queryProjection };
}

function integerField(record: Record<string, unknown>, field: string, min: number, max = 1 << 20): number {
  const value = record[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(
      `json.${field}`,
      `json.${field} is ${JSON.stringify(value)}; allowed: an integer ${min}..${max}`,
    );
  }
  return value;
}

function meanField(value: unknown, metric: Metric, inputDim: number): number[] | null {
  if (metric !== 'l2') {
    if (value !== null)
      throw new InvalidArgumentError('json.mean', `json.mean must be null for metric '${metric}'`);
    return null;
  }
  if (!Array.isArray(value) || value.length !== inputDim || !value.every((v) => typeof v === 'number')) {
    throw new InvalidArgumentError(
      'json.mean',
      `json.mean must be an array of ${inputDim} numbers for metric 'l2'`,
    );
  }
  assertFinite('json.mean', value as number[], inputDim);
  return [...(value as number[])];
}

function projectionField(record: Record<string, unknown>, field: string, length: number): Float32Array {
  const values = decodeFloat32Base64(record[field] as string, `json.${field}`);
  if (values.length !== length) {
    throw new InvalidArgumentError(
      `json.${field}`,
      `json.${field} holds ${values.length} values; inputDim x outputDim needs ${length}`,
    );
  }
  assertFinite(`json.${field}`, values, length);
  return values;
}
