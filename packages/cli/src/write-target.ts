import { SquashClient } from '@squash/client';
import type { CreateIndexRequest, DeleteVectorsRequest, UpsertRequest } from '@squash/contracts';
import { IndexDirectory, WriteService } from '@squash/query-service';
import { type FlagSpecs, type ParsedFlags, stringFlag, UsageError } from './args.ts';
import { API_FLAGS, readApiUrl, readAuth } from './auth-flags.ts';
import { type CommandIo, openStore } from './command-io.ts';

/** `--url ...` or `--store <root>`: where `upsert` and `delete` write. */
export const TARGET_FLAGS: FlagSpecs = { ...API_FLAGS, store: { type: 'string' } };

/** The index definition `--create-dim/--create-metric/--schema` ask for. */
export interface CreateRequest {
  readonly dim: number;
  readonly metric: string;
  readonly schema?: unknown;
}

/**
 * The write routes of one index, over HTTP (`SquashClient`, retries on 429/503: safe, since
 * upserts and deletes are idempotent) or in this process (`WriteService` over a store root: the
 * same validation and the same log as the API, no server).
 */
export interface WriteTarget {
  /** `--url <api>` or `--store <root>`, as given. */
  readonly where: string;
  /** True for `--store`: nothing compacts the log unless `squash compact` is run. */
  readonly inProcess: boolean;
  /** Creates the index, or confirms the same definition exists (`created: false`). */
  create(request: CreateRequest): Promise<{ created: boolean }>;
  upsert(rows: unknown[]): Promise<{ count: number; sequence: number }>;
  delete(ids: unknown[]): Promise<{ count: number; sequence: number }>;
}

/** The target the flags name; exactly one of `--url` and `--store` is required. */
export function openWriteTarget(flags: ParsedFlags, io: CommandIo, index: string): WriteTarget {
  const url = stringFlag(flags, 'url');
  const store = stringFlag(flags, 'store');
  if ((url === undefined) === (store === undefined)) {
    throw new UsageError(
      'give exactly one of --url <api> (a running API) and --store <root> (write in this process)',
    );
  }
  if (store !== undefined) {
    for (const flag of ['api-key', 'iam', 'region']) {
      if (flags.values[flag] !== undefined) throw new UsageError(`--${flag} only applies with --url`);
    }
    return storeTarget(io, store, index);
  }
  const client = new SquashClient({ url: readApiUrl(url!), auth: readAuth(flags, io) });
  return {
    where: url!,
    inProcess: false,
    create: (request) => client.createIndex(index, request as CreateIndexRequest),
    async upsert(rows) {
      const answer = await client.upsert(index, { vectors: rows as UpsertRequest['vectors'] });
      return { count: answer.upserted, sequence: answer.sequence };
    },
    async delete(ids) {
      const answer = await client.deleteVectors(index, { ids: ids as DeleteVectorsRequest['ids'] });
      return { count: answer.deleted, sequence: answer.sequence };
    },
  };
}

function storeTarget(io: CommandIo, root: string, index: string): WriteTarget {
  const open = (uri: string) => openStore(io, uri, '--store');
  // The definition is read once (one LIST of the catalog and a GET per index) and then cached for
  // the run, as a coordinator caches it for versionCheckMs; a definition never changes in place.
  const directory = new IndexDirectory({ indexes: {}, indexRoot: root, open, versionCheckMs: 60 * 60_000 });
  const writes = new WriteService(directory, { open });
  return {
    where: root,
    inProcess: true,
    create: (request) => writes.createIndex(index, request),
    async upsert(rows) {
      const answer = await writes.upsert(index, { vectors: rows });
      return { count: answer.upserted, sequence: answer.sequence };
    },
    async delete(ids) {
      const answer = await writes.delete(index, { ids });
      return { count: answer.deleted, sequence: answer.sequence };
    },
  };
}
