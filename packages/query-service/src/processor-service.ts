import type { ProcessorRequest, TreeResponse, WireHit, WorkItem } from '@squash/contracts';
import {
  type AttributeColumns,
  type FilterAst,
  PartitionSearcher,
  parseFilter,
  resolveSearchParameters,
  type SearchParameters,
} from '@squash/core';
import { attributesOfRow } from './attribute-values.ts';
import { decodeBitmap } from './bitmap-codec.ts';
import type { IndexAccess, LoadedPartition, PinnedManifest } from './index-access.ts';
import { mergeHits } from './tree-merge.ts';

interface CachedPartition {
  readonly searcher: PartitionSearcher;
  readonly loaded: LoadedPartition;
}

/**
 * The processor: serves the partitions it is asked for, keeping each loaded partition (vectors,
 * codes, attributes, WebAssembly scanner) in memory while the process stays warm. A request names
 * the index version the coordinator pinned; a different version evicts the old partitions and
 * loads the new ones, so one query never mixes two builds.
 *
 * A partition that fails to load is reported in `failedPartitions`; the others are still
 * answered.
 */
export class ProcessorService {
  private readonly partitions = new Map<string, CachedPartition>();
  private readonly manifests = new Map<string, PinnedManifest>();
  private invocations = 0;

  constructor(
    private readonly access: IndexAccess,
    private readonly parameters: SearchParameters = resolveSearchParameters(),
  ) {}

  async handle(request: ProcessorRequest): Promise<TreeResponse> {
    const coldStart = this.invocations++ === 0;
    const hits: WireHit[][] = request.queries.map(() => []);
    const searched: Array<{ partition: number; queries: number[] }> = [];
    const failedPartitions: number[] = [];
    let bytesRead = 0;
    const manifest = await this.manifest(request.indexUri, request.version);
    bytesRead += manifest.bytesRead;
    const vectors = request.queries.map((q) => ({
      vector: Float32Array.from(q.vector),
      reduced: Float32Array.from(q.reduced),
    }));
    const filters = request.queries.map((q) =>
      q.filter === undefined ? undefined : parseFilter(q.filter, manifest.schema),
    );
    for (const item of request.work) {
      let cached: CachedPartition;
      try {
        const result = await this.partition(request.indexUri, manifest, item.partition);
        cached = result.cached;
        bytesRead += result.bytesRead;
      } catch {
        failedPartitions.push(item.partition);
        continue;
      }
      this.searchItem(cached, item, request, vectors, filters, hits);
      searched.push({ partition: item.partition, queries: item.queries });
    }
    for (let q = 0; q < hits.length; q++) hits[q] = mergeHits([hits[q]!], request.queries[q]!.topK);
    return { hits, searched, failedPartitions, invocations: 1, coldStarts: coldStart ? 1 : 0, bytesRead };
  }

  private searchItem(
    cached: CachedPartition,
    item: WorkItem,
    request: ProcessorRequest,
    vectors: Array<{ vector: Float32Array; reduced: Float32Array }>,
    filters: Array<FilterAst | undefined>,
    hits: WireHit[][],
  ): void {
    const { loaded, searcher } = cached;
    for (let j = 0; j < item.queries.length; j++) {
      const q = item.queries[j]!;
      const query = request.queries[q]!;
      const filter = filters[q];
      const encoded = item.candidates?.[j];
      const result = searcher.search(
        {
          vector: vectors[q]!.vector,
          reduced: vectors[q]!.reduced,
          topK: query.topK,
          ...(filter === undefined ? {} : { filter }),
          ...(encoded === undefined || encoded === null ? {} : { candidateBitmap: decodeBitmap(encoded) }),
        },
        this.parameters,
      );
      for (let k = 0; k < result.rows.length; k++) {
        const local = result.rows[k]!;
        const row = result.ids[k]!;
        const hit: WireHit = {
          id: loaded.ids === null ? String(row) : loaded.ids[local]!,
          row,
          distance: result.distances[k]!,
          ...(query.includeAttributes === true && loaded.data.attributes !== undefined
            ? { attributes: attributesOfRow(loaded.data.attributes as AttributeColumns, local) }
            : {}),
        };
        hits[q]!.push(hit);
      }
    }
  }

  private async manifest(uri: string, version: string): Promise<PinnedManifest & { bytesRead: number }> {
    const key = `${uri}@${version}`;
    const cached = this.manifests.get(key);
    if (cached !== undefined) return { ...cached, bytesRead: 0 };
    const pinned = await this.access.manifest(uri, version);
    for (const [cachedKey] of this.manifests)
      if (cachedKey.startsWith(`${uri}@`)) this.manifests.delete(cachedKey);
    for (const [cachedKey] of this.partitions)
      if (cachedKey.startsWith(`${uri}@`)) this.partitions.delete(cachedKey);
    this.manifests.set(key, pinned);
    return { ...pinned, bytesRead: pinned.bytesRead };
  }

  private async partition(
    uri: string,
    manifest: PinnedManifest,
    partition: number,
  ): Promise<{ cached: CachedPartition; bytesRead: number }> {
    const key = `${uri}@${manifest.version}#${partition}`;
    const hit = this.partitions.get(key);
    if (hit !== undefined) return { cached: hit, bytesRead: 0 };
    const loaded = await this.access.partition(uri, manifest, partition);
    const cached = { loaded, searcher: new PartitionSearcher(loaded.data) };
    this.partitions.set(key, cached);
    return { cached, bytesRead: loaded.bytesRead };
  }
}
