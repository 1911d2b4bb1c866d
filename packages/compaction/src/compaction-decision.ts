import type { AttributeSchema } from '@squash/core';
import type { IndexDefinition, IndexManifest, LogTail } from '@squash/index-format';
import { unencodableReason } from './attribute-codes.ts';
import type { ResolvedCompactOptions } from './compaction-options.ts';

export type CompactionMode = 'none' | 'incremental' | 'full';

/** What a compaction will do and why (the report carries the reason). */
export interface CompactionDecision {
  readonly mode: CompactionMode;
  readonly reason: string;
}

/**
 * The rules (docs/architecture.md, "Compaction"): nothing when there is no tail or too few live
 * rows to build; a full rebuild for the first build, a forced one, a base whose attribute schema
 * differs from the definition or cannot code the new values, or a tail that changes more than
 * `rebuildFraction` of the base; otherwise incremental.
 */
export function decideCompaction(input: {
  readonly definition: IndexDefinition;
  readonly base: IndexManifest | undefined;
  readonly tail: LogTail;
  readonly entries: number;
  /** Base rows whose ids the tail replaces or deletes. */
  readonly removed: number;
  /** Base rows whose ids the tail deletes. */
  readonly deletedFromBase: number;
  readonly options: ResolvedCompactOptions;
}): CompactionDecision {
  const { base, tail, options } = input;
  if (input.entries === 0) return { mode: 'none', reason: 'no unindexed writes' };
  const live = (base?.count ?? 0) - input.removed + tail.rows.size;
  if (live < options.buildThresholdRows) {
    return {
      mode: 'none',
      reason: `${live} live rows, below the build threshold of ${options.buildThresholdRows}; the index stays exact over its log`,
    };
  }
  if (base === undefined) return { mode: 'full', reason: 'first build of the index' };
  if (options.mode === 'full') return { mode: 'full', reason: 'full rebuild requested' };
  if (!sameSchema(input.definition.schema, base.attributes?.schema ?? {})) {
    return { mode: 'full', reason: "the base's attribute schema differs from the index definition" };
  }
  const fraction = (tail.rows.size + input.deletedFromBase) / base.count;
  if (fraction > options.rebuildFraction) {
    return {
      mode: 'full',
      reason: `the tail changes ${(fraction * 100).toFixed(1)}% of the base's rows (more than ${options.rebuildFraction * 100}%)`,
    };
  }
  const unencodable = unencodableReason(base.attributes, tail.rows.values());
  if (unencodable !== undefined) return { mode: 'full', reason: unencodable };
  return {
    mode: 'incremental',
    reason: `the tail changes ${(fraction * 100).toFixed(1)}% of the base's rows`,
  };
}

function sameSchema(a: AttributeSchema, b: AttributeSchema): boolean {
  const names = Object.keys(a).sort();
  const other = Object.keys(b).sort();
  return names.length === other.length && names.every((n, i) => n === other[i] && a[n]!.type === b[n]!.type);
}
