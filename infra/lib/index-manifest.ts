import { existsSync, statSync } from 'node:fs';
import {
  IndexCorruptError,
  IndexNotFoundError,
  loadManifest,
  readCurrentVersion,
} from '@squash/index-format';
import { FilesystemBlobStore } from '@squash/storage';
import { InfraConfigError } from './infra-config-error.ts';

/** What the stack needs from a locally built index: its name and partition count. */
export interface LocalIndexManifest {
  readonly name: string;
  readonly partitions: number;
  /** The version `CURRENT` pointed at. */
  readonly version: string;
}

/**
 * Reads the name and partition count of a locally built index (the directory `squash build`
 * writes: `CURRENT` and `versions/<version>/manifest.json`) so a deployment can size its
 * processor functions to it. The index is read by `@squash/index-format`'s own reader, with its
 * validation, so infra knows no part of the format; `index-format` and `storage` hold no handler
 * code, and the CDK app calls this before it builds the stack (synth time only).
 *
 * @throws InfraConfigError naming the directory when it is missing, holds no published index, or
 *   holds one the format reader rejects (the reader's message is kept, its error is the `cause`).
 */
export async function readLocalIndexManifest(dir: string): Promise<LocalIndexManifest> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InfraConfigError('manifest', `index directory "${dir}" does not exist or is not a directory`);
  }
  const store = new FilesystemBlobStore({ rootDir: dir });
  try {
    const version = await readCurrentVersion(store);
    const manifest = await loadManifest(store, version);
    return { name: manifest.name, partitions: manifest.partitions.length, version };
  } catch (error) {
    if (error instanceof IndexNotFoundError || error instanceof IndexCorruptError) {
      throw new InfraConfigError('manifest', `"${dir}" is not a usable index directory: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
}
