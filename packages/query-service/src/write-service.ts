import type { IndexSummary } from '@squash/contracts';
import { ROUTE_SCHEMAS } from '@squash/contracts';
import { InvalidArgumentError, quote } from '@squash/errors';
import {
  appendToLog,
  createIndex,
  deleteIndex,
  type IndexDefinition,
  loadManifest,
  newDefinition,
  readLog,
  tryReadCurrentVersion,
} from '@squash/index-format';
import type { BlobStore } from '@squash/storage';
import type { ServiceLog } from './coordinator-service.ts';
import type { IndexDirectory, IndexEntry } from './index-directory.ts';
import { RequestError } from './request-error.ts';
import { TailState } from './tail-state.ts';
import { validateBody } from './validate-body.ts';
import { WriteError } from './write-error.ts';
import { validateDelete, validateUpsert } from './write-validation.ts';

/** Options of `WriteService`. */
export interface WriteServiceOptions {
  /** Opens an index's data store by URI (`<indexRoot>/<name>`). */
  readonly open: (uri: string) => BlobStore;
  /**
   * Rows (upserts and deletes, net per id) in the unindexed tail past which a write calls
   * `onCompactionDue`. @default FUNCTION_SETTINGS.compactionTailRows.default (20,000)
   */
  readonly compactionTailRows?: number;
  /**
   * Called after an acknowledged write leaves at least `compactionTailRows` rows in the tail: the
   * handler starts the compactor asynchronously. Its errors are logged, never fail the write.
   */
  readonly onCompactionDue?: (name: string, uri: string) => void | Promise<void>;
  /** Called after an index is deleted through this service (the coordinator forgets it). */
  readonly onIndexDeleted?: (name: string) => void;
  readonly log?: ServiceLog;
}

/**
 * Creates and deletes indexes of the run-time catalog and appends upserts and deletes to their
 * write-ahead logs (`write-log.ts`). A request is validated whole before anything is stored and
 * written as one log entry (one conditional PUT), so it is applied whole or not at all, and it is
 * acknowledged only once that entry is in the store. Concurrent writers on any number of
 * coordinators are ordered by the conditional PUT; none loses another's write.
 *
 * Indexes of the static `indexes` table are read-only: writes to them are refused (`FORBIDDEN`).
 */
export class WriteService {
  private readonly compactionTailRows: number;
  /** Per index, the tail folded so far (read incrementally), to count its rows after a write. */
  private readonly tails = new Map<string, TailState>();

  constructor(
    private readonly directory: IndexDirectory,
    private readonly options: WriteServiceOptions,
  ) {
    this.compactionTailRows = options.compactionTailRows ?? 20_000;
  }

  /**
   * Creates `name` from `{dim, metric, schema?}`: `created: false` when the same definition exists
   * (the route answers 200 rather than 201). @throws IndexExistsError (409) for a different one.
   */
  async createIndex(name: string, body: unknown): Promise<{ created: boolean; index: IndexSummary }> {
    const root = this.catalog(name);
    this.refuseStatic(name);
    const input = checkCreateBody(body);
    let definition: IndexDefinition;
    try {
      definition = newDefinition(name, input);
    } catch (error) {
      if (error instanceof InvalidArgumentError) throw new RequestError('INVALID_REQUEST', error.message);
      throw error;
    }
    const result = await createIndex(root, definition);
    this.directory.remember(name, result.definition);
    const d = result.definition;
    const version = (await tryReadCurrentVersion(this.options.open(this.directory.uriOf(name)))) ?? '';
    return {
      created: result.created,
      index: { name, dim: d.dim, metric: d.metric, count: 0, version, partitions: 0, schema: d.schema },
    };
  }

  /** Deletes `name` and all its data. @throws RequestError INDEX_NOT_FOUND when there is none. */
  async deleteIndex(name: string): Promise<{ deleted: true }> {
    const root = this.catalog(name);
    this.refuseStatic(name);
    const existed = await deleteIndex(root, name);
    this.directory.remember(name, undefined);
    this.tails.delete(name);
    this.options.onIndexDeleted?.(name);
    if (!existed) throw new RequestError('INDEX_NOT_FOUND', `index ${quote(name)} does not exist`);
    return { deleted: true };
  }

  /** Appends the upserts of `body` as one log entry. */
  async upsert(name: string, body: unknown): Promise<{ upserted: number; sequence: number }> {
    const entry = await this.writable(name);
    const ops = validateUpsert(body, entry.definition!);
    const { sequence } = await this.append(entry, ops);
    return { upserted: ops.length, sequence };
  }

  /** Appends the deletes of `body` as one log entry (ids that do not exist are no-ops). */
  async delete(name: string, body: unknown): Promise<{ deleted: number; sequence: number }> {
    const entry = await this.writable(name);
    const ops = validateDelete(body);
    const { sequence } = await this.append(entry, ops);
    return { deleted: ops.length, sequence };
  }

  private async append(
    entry: IndexEntry,
    ops: Parameters<typeof appendToLog>[1],
  ): Promise<{ sequence: number }> {
    const store = this.options.open(entry.uri);
    const result = await appendToLog(store, ops);
    await this.checkCompaction(entry, store).catch((error: unknown) => {
      this.options.log?.error('compaction check failed', { index: entry.name, message: String(error) });
    });
    return result;
  }

  /**
   * Calls `onCompactionDue` when the tail above the current version holds at least
   * `compactionTailRows` rows (ids upserted or deleted since it). Cost per write: one GET of
   * `CURRENT`, one LIST of `log/` and one GET per entry this service has not read yet (the tail is
   * folded incrementally, restarted when a compaction publishes a version).
   */
  private async checkCompaction(entry: IndexEntry, store: BlobStore): Promise<void> {
    if (this.options.onCompactionDue === undefined) return;
    const version = await tryReadCurrentVersion(store);
    let tail = this.tails.get(entry.name);
    if (tail === undefined || tail.base.version !== version) {
      const logSequence = version === undefined ? 0 : (await loadManifest(store, version)).logSequence;
      const d = entry.definition!;
      tail = new TailState(
        { version, logSequence, count: 0, metric: d.metric, dim: d.dim, schema: d.schema },
        (after) => readLog(store, after),
        Date.now,
      );
      this.tails.set(entry.name, tail);
    }
    const pulled = await tail.pull();
    // A gap: a compaction published meanwhile; the next write starts from its version.
    if ('gap' in pulled) {
      this.tails.delete(entry.name);
      return;
    }
    if (pulled.snapshot.masked.size < this.compactionTailRows) return;
    try {
      await this.options.onCompactionDue(entry.name, entry.uri);
    } catch (error) {
      this.options.log?.error('starting the compactor failed', { index: entry.name, message: String(error) });
    }
  }

  private async writable(name: string): Promise<IndexEntry> {
    const entry = await this.directory.lookup(name);
    if (entry === undefined) throw new RequestError('INDEX_NOT_FOUND', `index ${quote(name)} does not exist`);
    if (entry.definition === undefined) {
      throw new WriteError(
        'FORBIDDEN',
        `index ${quote(name)} is served read-only from the static index table (SQUASH_INDEXES); writes go to indexes of the catalog under SQUASH_INDEX_ROOT`,
      );
    }
    return entry;
  }

  private refuseStatic(name: string): void {
    if (this.directory.isStatic(name)) {
      throw new WriteError(
        'FORBIDDEN',
        `index ${quote(name)} is served read-only from the static index table (SQUASH_INDEXES) and cannot be created or deleted through the API`,
      );
    }
  }

  private catalog(name: string): BlobStore {
    const root = this.directory.catalog;
    if (root === undefined) {
      throw new WriteError(
        'FORBIDDEN',
        `index ${quote(name)} cannot be created or deleted: no index root is configured (SQUASH_INDEX_ROOT)`,
      );
    }
    return root;
  }
}

/** The fields of a create body: `{dim, metric, schema?}`; anything else is `INVALID_REQUEST`. */
/** The create body, checked against its route schema (`INVALID_REQUEST` naming the problem). */
function checkCreateBody(body: unknown): { dim: unknown; metric: unknown; schema?: unknown } {
  return validateBody(ROUTE_SCHEMAS.createIndex.body, body);
}
