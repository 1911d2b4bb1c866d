import { InvalidArgumentError } from '@squash/errors';

/**
 * Where things live in a store rooted at the index's prefix:
 *
 * ```
 * CURRENT                                  {"version": "<version>"}
 * versions/<version>/manifest.json         written after every object of the version
 * versions/<version>/leanvec.json
 * versions/<version>/routing/{centroids,radii,membership,quantized-attributes}.bin
 * versions/<version>/partitions/<00000>/{vectors,osq-codes,binary-codes,row-ids,quantizer,attributes,ids,metadata}.bin
 * ```
 *
 * Version ids sort by creation time: `v<yyyymmdd>T<hhmmss>.<mmm>Z-<8 hex>`, the UTC time of the
 * publish in ISO 8601 basic format with milliseconds, then 32 random bits so two writers
 * publishing in the same millisecond still get different ids.
 */

export const CURRENT_KEY = 'CURRENT';
export const VERSIONS_PREFIX = 'versions/';
export const MANIFEST_NAME = 'manifest.json';

const VERSION_ID = /^v(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z-[0-9a-f]{8}$/;

/** A new version id for a publish at `now`, with 32 bits from `crypto.getRandomValues`. */
export function newVersionId(now: Date): string {
  const iso = now.toISOString(); // 2026-11-29T06:30:00.123Z
  const basic = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 23)}Z`;
  const random = globalThis.crypto.getRandomValues(new Uint32Array(1))[0]!;
  return `v${basic}-${random.toString(16).padStart(8, '0')}`;
}

export function isVersionId(value: unknown): value is string {
  return typeof value === 'string' && VERSION_ID.test(value);
}

/** @throws InvalidArgumentError unless `version` has the form of a version id. */
export function assertVersionId(version: string): void {
  if (!isVersionId(version)) {
    throw new InvalidArgumentError(
      'version',
      `version ${JSON.stringify(version)} is not a version id; expected the form v20261129T063000.123Z-1a2b3c4d`,
    );
  }
}

/** The creation time a version id encodes, as an ISO 8601 string. */
export function versionCreatedAt(version: string): string {
  const m = VERSION_ID.exec(version);
  if (m === null)
    throw new InvalidArgumentError('version', `version ${JSON.stringify(version)} is not a version id`);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`;
}

export function versionPrefix(version: string): string {
  return `${VERSIONS_PREFIX}${version}/`;
}

export function manifestKey(version: string): string {
  return `${versionPrefix(version)}${MANIFEST_NAME}`;
}

/** The full store key of an object whose manifest key is `relativeKey`. */
export function objectKey(version: string, relativeKey: string): string {
  return `${versionPrefix(version)}${relativeKey}`;
}

/** Relative keys of a version's objects. */
export const OBJECT_NAMES = {
  leanvec: 'leanvec.json',
  centroids: 'routing/centroids.bin',
  radii: 'routing/radii.bin',
  membership: 'routing/membership.bin',
  quantizedAttributes: 'routing/quantized-attributes.bin',
} as const;

export type PartitionObjectName =
  | 'vectors'
  | 'osq-codes'
  | 'binary-codes'
  | 'row-ids'
  | 'quantizer'
  | 'attributes'
  | 'ids'
  | 'metadata';

/** `partitions/00003/vectors.bin`: ids are zero-padded so listings sort numerically. */
export function partitionObjectKey(partitionId: number, name: PartitionObjectName): string {
  return `partitions/${String(partitionId).padStart(5, '0')}/${name}.bin`;
}
