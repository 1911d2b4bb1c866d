import { type IndexDefinition, listIndexDefinitions, readIndexDefinition } from '@squash/index-format';
import type { BlobStore } from '@squash/storage';

/** Where an index lives, and what it is when it was created at run time. */
export interface IndexEntry {
  readonly name: string;
  /** Store URI of the index's data (`CURRENT`, `versions/`, `log/`). */
  readonly uri: string;
  /**
   * The catalog definition (`_indexes/<name>.json`); undefined for a read-only index of the
   * static `indexes` table, which is described by its manifest alone.
   */
  readonly definition?: IndexDefinition;
}

/** Options of `IndexDirectory`. */
export interface IndexDirectoryOptions {
  /** The static, read-only index table (`SQUASH_INDEXES`): name -> store URI. */
  readonly indexes: Readonly<Record<string, string>>;
  /** Store root of the run-time catalog (`SQUASH_INDEX_ROOT`); '' or undefined: none. */
  readonly indexRoot?: string;
  /** Opens the root's store. */
  readonly open: (uri: string) => BlobStore;
  /** Longest time the cached catalog listing is used before it is listed again. */
  readonly versionCheckMs: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * The indexes a coordinator serves: the static table of read-only indexes plus every index of the
 * run-time catalog under `indexRoot` (`index-catalog.ts`). A name of the static table shadows a
 * catalog index of the same name (the table is the operator's explicit choice).
 *
 * **Freshness.** The catalog listing (one LIST of `_indexes/` and one GET per index) is cached for
 * `versionCheckMs`. A name the cache does not hold is read at once (one GET of its definition),
 * so an index created through another coordinator is found by the very next request. A delete
 * through this coordinator is seen at once (`forget`); one through another coordinator is seen
 * here within `versionCheckMs`, when the listing or the name's entry is refreshed: until then
 * queries of the deleted index find no `CURRENT` and log, and answer as an empty index or with
 * `INDEX_NOT_FOUND` from the store.
 */
export class IndexDirectory {
  private readonly root: BlobStore | undefined;
  private readonly rootUri: string;
  private readonly now: () => number;
  private listing: { readonly at: number; readonly entries: Map<string, IndexEntry> } | undefined;
  /** Names read one by one since the last listing, with when. */
  private readonly single = new Map<
    string,
    { readonly at: number; readonly entry: IndexEntry | undefined }
  >();

  constructor(private readonly options: IndexDirectoryOptions) {
    this.now = options.now ?? Date.now;
    this.rootUri = (options.indexRoot ?? '').replace(/\/+$/, '');
    this.root = this.rootUri === '' ? undefined : options.open(this.rootUri);
  }

  /** The catalog's store, or undefined when no `indexRoot` is configured. */
  get catalog(): BlobStore | undefined {
    return this.root;
  }

  /** Whether `name` is in the static, read-only table. */
  isStatic(name: string): boolean {
    return Object.hasOwn(this.options.indexes, name);
  }

  /** The store URI of a catalog index's data: `<indexRoot>/<name>`. */
  uriOf(name: string): string {
    return `${this.rootUri}/${name}`;
  }

  /** Every index served, sorted by name. */
  async list(): Promise<string[]> {
    const catalog = await this.catalogEntries();
    const names = new Set([...Object.keys(this.options.indexes), ...catalog.keys()]);
    for (const [name, { entry }] of this.single) {
      if (entry === undefined) names.delete(name);
      else names.add(name);
    }
    // The static table shadows the catalog: its names stay whatever a single read said.
    for (const name of Object.keys(this.options.indexes)) names.add(name);
    return [...names].sort();
  }

  /** The index `name`, or undefined when it does not exist. */
  async lookup(name: string): Promise<IndexEntry | undefined> {
    if (Object.hasOwn(this.options.indexes, name)) return { name, uri: this.options.indexes[name]! };
    if (this.root === undefined) return undefined;
    const fresh = (at: number) => this.now() - at < this.options.versionCheckMs;
    const one = this.single.get(name);
    if (one !== undefined && fresh(one.at)) return one.entry;
    const catalog = await this.catalogEntries();
    const listed = catalog.get(name);
    if (listed !== undefined) return listed;
    // Not in the (possibly stale) listing: maybe created elsewhere since. One GET settles it.
    return this.readOne(name);
  }

  /** Records that `name` was created (`definition`) or deleted (undefined) through this process. */
  remember(name: string, definition: IndexDefinition | undefined): void {
    this.single.set(name, {
      at: this.now(),
      entry: definition === undefined ? undefined : { name, uri: this.uriOf(name), definition },
    });
    if (definition === undefined) this.listing?.entries.delete(name);
  }

  private async readOne(name: string): Promise<IndexEntry | undefined> {
    const definition = await readIndexDefinition(this.root!, name);
    const entry = definition === undefined ? undefined : { name, uri: this.uriOf(name), definition };
    this.single.set(name, { at: this.now(), entry });
    return entry;
  }

  private async catalogEntries(): Promise<Map<string, IndexEntry>> {
    if (this.root === undefined) return new Map();
    if (this.listing !== undefined && this.now() - this.listing.at < this.options.versionCheckMs) {
      return this.listing.entries;
    }
    const at = this.now();
    const definitions = await listIndexDefinitions(this.root);
    const entries = new Map(
      definitions.map((d) => [d.name, { name: d.name, uri: this.uriOf(d.name), definition: d }]),
    );
    this.listing = { at, entries };
    // Single reads older than the listing are superseded by it.
    for (const [name, one] of this.single) if (one.at <= at) this.single.delete(name);
    return entries;
  }
}
