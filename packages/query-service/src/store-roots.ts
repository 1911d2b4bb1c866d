import { resolve } from 'node:path';
import { InvalidArgumentError, quote } from '@squash/errors';
import { parseStoreUri } from '@squash/storage';
import type { FunctionConfig } from './config.ts';
import type { FaultCause } from './faults.ts';

/**
 * The store roots a fan-out node or processor may open (`SQUASH_STORE_ROOTS`, or the index URIs of
 * `SQUASH_INDEXES` when that is empty). Tree payloads name the index URI they search, so without
 * this check anyone able to invoke a processor could make it read any bucket or directory its
 * role can reach. URIs are compared in a normal form (`s3://bucket/prefix`, an absolute
 * `file://` path with `..` resolved, `memory://name`), segment by segment: `s3://b/idx` allows
 * `s3://b/idx` and `s3://b/idx/v2`, not `s3://b/idx-other`.
 */
export class StoreRoots {
  private readonly roots: readonly string[];

  /** @throws InvalidArgumentError naming a root that is not a store URI. */
  constructor(roots: readonly string[]) {
    this.roots = roots.map((root) => {
      const normal = normalize(root);
      if (normal === undefined) {
        throw new InvalidArgumentError('storeRoots', `store root ${quote(root)} is not a store URI`);
      }
      return normal;
    });
  }

  /**
   * The roots a function's configuration allows (see the `storeRoots` setting), plus the index
   * root (`indexRoot`) when one is set: the indexes created under it at run time are searched too.
   */
  static of(
    config: Pick<FunctionConfig, 'storeRoots' | 'indexes'> & { readonly indexRoot?: string },
  ): StoreRoots {
    const roots = config.storeRoots.length > 0 ? [...config.storeRoots] : Object.values(config.indexes);
    if (config.indexRoot !== undefined && config.indexRoot !== '') roots.push(config.indexRoot);
    return new StoreRoots(roots);
  }

  /** Undefined when `uri` is a root or below one, else the `FORBIDDEN` cause to report. */
  refusal(uri: string): FaultCause | undefined {
    const normal = typeof uri === 'string' ? normalize(uri) : undefined;
    if (normal !== undefined && this.roots.some((root) => normal === root || normal.startsWith(`${root}/`))) {
      return undefined;
    }
    return {
      reason: 'FORBIDDEN',
      message: `index URI ${quote(uri)} is outside the ${this.roots.length} store root(s) this function serves`,
    };
  }
}

function normalize(uri: string): string | undefined {
  try {
    const location = parseStoreUri(uri);
    switch (location.kind) {
      case 's3':
        return location.prefix === ''
          ? `s3://${location.bucket}`
          : `s3://${location.bucket}/${location.prefix}`;
      case 'filesystem':
        return `file://${resolve(location.rootDir).replace(/\/+$/, '')}`;
      case 'memory':
        return `memory://${location.name}`;
    }
  } catch {
    return undefined;
  }
}
