import {
  type IndexDefinition,
  IndexExistsError,
  readIndexDefinition,
  sameDefinition,
} from '@squash/index-format';

import type { BlobStore } from '@squash/storage';

/** The catalog definition of an uploaded index, under the name it is uploaded as. */
export { definitionOf } from '@squash/index-format';

/**
 * Fails before a copy when `root` already holds an index of that name defined otherwise: the copy
 * would replace its data with vectors its definition (and its writers) do not match.
 * `registerIndex` checks again after the copy, for an index registered in between.
 *
 * @throws IndexExistsError naming both definitions.
 */
export async function refuseConflict(root: BlobStore, definition: IndexDefinition): Promise<void> {
  const existing = await readIndexDefinition(root, definition.name);
  if (existing === undefined || sameDefinition(existing, definition)) return;
  const schema = sameDefinition(existing, { ...definition, dim: existing.dim, metric: existing.metric })
    ? ''
    : ' and another attribute schema';
  throw new IndexExistsError(
    existing,
    `index "${definition.name}" is registered with dim ${existing.dim}, metric ${existing.metric}; the upload has dim ${definition.dim}, metric ${definition.metric}${schema}. Upload under another --name, or delete the index first`,
  );
}
