import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InfraConfigError } from './infra-config-error.ts';

/** What the stack needs from a locally built index: its name and partition count. */
export interface LocalIndexManifest {
  /** Index name from the manifest, when it has one. */
  readonly name?: string;
  readonly partitions: number;
  /** The version `CURRENT` pointed at, or `undefined` when a manifest file was given directly. */
  readonly version?: string;
  /** The manifest file that was read. */
  readonly manifestFile: string;
}

/**
 * Reads the partition count and name of a locally built index so a deployment can size its
 * processor functions to it.
 *
 * `path` is either an index directory (holding `CURRENT`, whose content names the version, and
 * `versions/<version>/manifest.json`) or a manifest file. The reader is deliberately tolerant,
 * because the stack needs two fields of a format that belongs to another package: `CURRENT` may
 * hold the bare version or JSON with a `version` field; a directory without `CURRENT` but with a
 * `manifest.json` is read directly; `partitions` may be an array (its length counts) or a number;
 * every other field is ignored.
 *
 * @throws InfraConfigError naming the file when nothing usable is found.
 */
export function readLocalIndexManifest(path: string): LocalIndexManifest {
  if (!existsSync(path)) {
    throw new InfraConfigError('manifestPath', `index manifest path "${path}" does not exist`);
  }
  if (statSync(path).isFile()) return parseManifestFile(path, undefined);
  const currentFile = join(path, 'CURRENT');
  if (existsSync(currentFile)) {
    const version = parseCurrent(readFileSync(currentFile, 'utf8'), currentFile);
    return parseManifestFile(join(path, 'versions', version, 'manifest.json'), version);
  }
  const direct = join(path, 'manifest.json');
  if (existsSync(direct)) return parseManifestFile(direct, undefined);
  throw new InfraConfigError(
    'manifestPath',
    `"${path}" holds neither CURRENT nor manifest.json; pass an index directory or a manifest file`,
  );
}

function parseCurrent(text: string, file: string): string {
  const trimmed = text.trim();
  let version: unknown = trimmed;
  if (trimmed.startsWith('{')) {
    version = (parseJson(trimmed, file) as { version?: unknown }).version;
  }
  if (typeof version !== 'string' || !/^[A-Za-z0-9._-]+$/.test(version) || version.startsWith('.')) {
    throw new InfraConfigError(
      'manifestPath',
      `${file} should name a version (letters, digits, ".", "_", "-"); it holds ${JSON.stringify(trimmed.slice(0, 80))}`,
    );
  }
  return version;
}

function parseManifestFile(file: string, version: string | undefined): LocalIndexManifest {
  if (!existsSync(file)) {
    throw new InfraConfigError('manifestPath', `index manifest ${file} does not exist`);
  }
  const manifest = parseJson(readFileSync(file, 'utf8'), file) as Record<string, unknown>;
  const partitions = partitionCountOf(manifest.partitions);
  if (partitions === undefined) {
    throw new InfraConfigError(
      'manifestPath',
      `${file} has no usable "partitions" field (expected a non-empty array or a positive integer)`,
    );
  }
  const name = typeof manifest.name === 'string' && manifest.name !== '' ? manifest.name : undefined;
  return {
    partitions,
    manifestFile: file,
    ...(name === undefined ? {} : { name }),
    ...(version === undefined ? {} : { version }),
  };
}

function partitionCountOf(value: unknown): number | undefined {
  if (Array.isArray(value)) return value.length > 0 ? value.length : undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  return undefined;
}

function parseJson(text: string, file: string): unknown {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('not a JSON object');
    return parsed;
  } catch (error) {
    throw new InfraConfigError('manifestPath', `${file} is not a JSON object: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
