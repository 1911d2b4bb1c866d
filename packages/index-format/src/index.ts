// Building blocks of publishes assembled elsewhere (compaction writes partitions one by one).
export { describeAttributes, encodeQuantizedAttributes } from './attribute-objects.ts';
export type { ArrayBlock, DType, NumericBlock, StringsBlock } from './binary-array.ts';
export {
  BLOCK_FORMAT_VERSION,
  BLOCK_HEADER_BYTES,
  BLOCK_MAGIC,
  decodeBlocks,
  encodeBlocks,
  numericBlock,
  stringsBlock,
} from './binary-array.ts';
export type { CurrentTag } from './current-version.ts';
export {
  CurrentMovedError,
  readCurrentTag,
  readCurrentVersion,
  setCurrentVersion,
  tryReadCurrentVersion,
  writeCurrent,
} from './current-version.ts';
export type { RowLocation } from './id-locations.ts';
export { readIdLocations } from './id-locations.ts';
export type { CatalogErrorCode, IndexDefinition } from './index-catalog.ts';
export {
  assertIndexName,
  CATALOG_PREFIX,
  createIndex,
  DEFINITION_FORMAT,
  definitionKey,
  definitionOf,
  deleteIndex,
  IndexExistsError,
  indexDataPrefix,
  listIndexDefinitions,
  MAX_INDEX_DIM,
  newDefinition,
  readIndexDefinition,
  registerIndex,
  sameDefinition,
} from './index-catalog.ts';
export type { IndexFormatErrorCode } from './index-format-errors.ts';
export { IndexCorruptError, IndexNotFoundError } from './index-format-errors.ts';
export type { LoadedIndex, LoadIndexOptions } from './load-index.ts';
export { loadIndex } from './load-index.ts';
export { loadManifest, loadManifestBytes } from './load-manifest.ts';
export type { LoadOptions } from './load-options.ts';
export type { LoadedPartition } from './load-partition.ts';
export { loadPartition } from './load-partition.ts';
export type { LoadedRouting } from './load-routing.ts';
export { loadRouting } from './load-routing.ts';
export type { PartitionRowIds } from './load-row-ids.ts';
export { loadRowIds } from './load-row-ids.ts';
export type {
  AttributeEntry,
  AttributesManifest,
  BuildParameters,
  IdsKind,
  IndexManifest,
  JsonDouble,
  ObjectRef,
  PartitionEntry,
  PartitionObjects,
  QuantizerScalars,
  RoutingObjects,
} from './manifest.ts';
export { INDEX_FORMAT, INDEX_FORMAT_VERSION, manifestObjects, partitionObjects } from './manifest.ts';
export { mapLimit } from './map-limit.ts';
export type { RowMetadata } from './metadata-object.ts';
export {
  decodeMetadataObject,
  encodeMetadataObject,
  loadPartitionMetadata,
  readRowMetadata,
} from './metadata-object.ts';
export { encodePartition } from './partition-objects.ts';
export type { PublishIndexMeta, PublishIndexOptions, PublishResult } from './publish-index.ts';
export { publishIndex } from './publish-index.ts';
export { jsonBytes, readObject } from './read-object.ts';
export type { ReadVectorRowsOptions } from './read-vector-rows.ts';
export { readVectorRows } from './read-vector-rows.ts';
export {
  CURRENT_KEY,
  isVersionId,
  manifestKey,
  newVersionId,
  OBJECT_NAMES,
  objectKey,
  partitionObjectKey,
  versionCreatedAt,
  versionPrefix,
} from './store-layout.ts';
export type { VerifyProblem, VerifyReport } from './verify-index.ts';
export { verifyIndex } from './verify-index.ts';
export type { GcResult, GcVersionsOptions, VersionInfo } from './versions.ts';
export { deleteVersion, gcVersions, listVersions } from './versions.ts';
export type { AppendOptions, LogAttributeValue, LogEntry, LogOp, LogTail, TailRow } from './write-log.ts';
export { appendToLog, foldLog, LOG_PREFIX, lastSequence, logKey, readLog } from './write-log.ts';
