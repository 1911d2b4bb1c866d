import type { AttributeSchema, Metric, RoutingIndex } from '@squash/core';
import { quote } from '@squash/errors';
import type { RowLocation } from '@squash/index-format';
import type { IndexAccess, PinnedManifest } from './index-access.ts';
import type { IndexDirectory, IndexEntry } from './index-directory.ts';
import { RequestError } from './request-error.ts';
import type { TailSnapshot } from './tail-snapshot.ts';
import { TailState } from './tail-state.ts';

/** A pinned version of an index: what the query plan and the processors read. */
export interface BaseVersion {
  readonly manifest: PinnedManifest;
  readonly routing: RoutingIndex;
  /** Row id -> location, loaded at most once per version and only when something needs it. */
  locations(): Promise<ReadonlyMap<string, RowLocation>>;
}

/** What a query runs against: the pinned base (if any) and the log tail above it. */
export interface IndexView {
  readonly name: string;
  readonly uri: string;
  readonly dim: number;
  readonly metric: Metric;
  readonly schema: AttributeSchema;
  /** Whether writes are accepted (a catalog index) or not (the static table's). */
  readonly writable: boolean;
  readonly base: BaseVersion | undefined;
  readonly tail: TailSnapshot | undefined;
}

/**
 * How fresh a query's view of the log is.
 * - `read-your-writes` (default): every query lists `log/` once (one S3 LIST, about $0.005 per
 *   1,000 queries and 10-30 ms), so it sees every write acknowledged before it started, on any
 *   coordinator.
 * - `bounded-staleness`: the list is skipped when this coordinator listed within
 *   `versionCheckMs`, so a query may miss writes acknowledged up to `versionCheckMs` before it
 *   started (writes through this coordinator included).
 */
export type TailReads = 'read-your-writes' | 'bounded-staleness';

interface Pinned {
  readonly entry: IndexEntry;
  readonly base: BaseVersion | undefined;
  readonly tail: TailState | undefined;
  checkedAt: number;
}

/**
 * Per index, the pinned base version (re-read from `CURRENT` after `versionCheckMs`) and, for a
 * catalog index, its log tail. Read-only indexes of the static table have no tail: nothing
 * writes to them through the API.
 */
export class IndexStates {
  private readonly pinned = new Map<string, Promise<Pinned>>();

  constructor(
    private readonly directory: IndexDirectory,
    private readonly access: IndexAccess,
    private readonly options: { versionCheckMs: number; tailReads: TailReads; now: () => number },
  ) {}

  /** The current view of `name`. @throws RequestError INDEX_NOT_FOUND when it does not exist. */
  async view(name: string): Promise<IndexView> {
    let pinned = await this.pin(name, false);
    let tail = await this.pullTail(pinned);
    if (tail === 'gap') {
      // A compaction folded entries this tail had not read yet: pin its version and start over.
      pinned = await this.pin(name, true);
      tail = await this.pullTail(pinned);
      if (tail === 'gap') tail = pinned.tail?.current();
    }
    const { entry, base } = pinned;
    const dim = base?.manifest.dim ?? entry.definition!.dim;
    return {
      name,
      uri: entry.uri,
      dim,
      metric: base?.manifest.metric ?? entry.definition!.metric,
      schema: entry.definition?.schema ?? base!.manifest.schema,
      writable: entry.definition !== undefined,
      base,
      tail,
    };
  }

  /** Drops what is held for `name` (after a delete through this process). */
  forget(name: string): void {
    this.pinned.delete(name);
  }

  private async pullTail(pinned: Pinned): Promise<TailSnapshot | 'gap' | undefined> {
    const tail = pinned.tail;
    if (tail === undefined) return undefined;
    const { tailReads, versionCheckMs, now } = this.options;
    if (tailReads === 'bounded-staleness' && now() - tail.pulledAt < versionCheckMs) return tail.current();
    const pulled = await tail.pull();
    return 'gap' in pulled ? 'gap' : pulled.snapshot;
  }

  private pin(name: string, force: boolean): Promise<Pinned> {
    const cached = this.pinned.get(name);
    const next = (cached ?? Promise.resolve(undefined)).then(
      (previous) =>
        previous !== undefined &&
        !force &&
        this.options.now() - previous.checkedAt < this.options.versionCheckMs
          ? previous
          : this.refresh(name, previous),
      () => this.refresh(name, undefined),
    );
    this.pinned.set(name, next);
    next.catch(() => {
      if (this.pinned.get(name) === next) this.pinned.delete(name);
    });
    return next;
  }

  private async refresh(name: string, previous: Pinned | undefined): Promise<Pinned> {
    const entry = await this.directory.lookup(name);
    if (entry === undefined) {
      throw new RequestError(
        'INDEX_NOT_FOUND',
        `index ${quote(name)} does not exist; available: ${(await this.directory.list()).join(', ') || 'none'}`,
      );
    }
    const version =
      entry.definition === undefined
        ? await this.access.currentVersion(entry.uri)
        : await this.access.tryCurrentVersion(entry.uri);
    const now = this.options.now();
    if (
      previous !== undefined &&
      previous.entry.uri === entry.uri &&
      // A different createdAt: the index was deleted and created again under the same name, and
      // its new log must not be read after the old one's sequence.
      previous.entry.definition?.createdAt === entry.definition?.createdAt &&
      previous.base?.manifest.version === version
    ) {
      previous.checkedAt = now;
      return previous;
    }
    const base = version === undefined ? undefined : await this.loadBase(entry.uri, version);
    const tail =
      entry.definition === undefined
        ? undefined
        : new TailState(
            {
              version,
              logSequence: base?.manifest.manifest.logSequence ?? 0,
              count: base?.manifest.count ?? 0,
              metric: base?.manifest.metric ?? entry.definition.metric,
              dim: base?.manifest.dim ?? entry.definition.dim,
              schema: entry.definition.schema,
            },
            (after) => this.access.logAfter(entry.uri, after),
            this.options.now,
          );
    return { entry, base, tail, checkedAt: now };
  }

  private async loadBase(uri: string, version: string): Promise<BaseVersion> {
    const manifest = await this.access.manifest(uri, version);
    const routing = await this.access.routing(uri, manifest);
    let locations: Promise<ReadonlyMap<string, RowLocation>> | undefined;
    return {
      manifest,
      routing: { ...routing, metric: manifest.metric, partitionSizes: manifest.partitionSizes },
      locations: () => {
        locations ??= this.access.idLocations(uri, manifest);
        locations.catch(() => {
          locations = undefined;
        });
        return locations;
      },
    };
  }
}
