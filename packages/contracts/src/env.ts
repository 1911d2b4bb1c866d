import { COMPACTOR_HANDLER_ENTRY } from './compaction-payloads.ts';
import { FUNCTION_SETTINGS, type SettingName } from './settings.ts';

/**
 * Environment variable names read by the functions, derived from `FUNCTION_SETTINGS` (where each
 * one's default, range and meaning live). Infra and `squash serve` set them from these constants
 * and the functions read them through `loadConfig`, so the two cannot drift apart.
 */
export const ENV = Object.fromEntries(
  Object.entries(FUNCTION_SETTINGS).map(([name, setting]) => [name, setting.env]),
) as { readonly [K in SettingName]: (typeof FUNCTION_SETTINGS)[K]['env'] };

export type EnvName = (typeof ENV)[keyof typeof ENV];

/** Logical names of the three functions; the local runtime registers them under these names. */
export const FUNCTION_NAMES = {
  coordinator: 'squash-coordinator',
  fanout: 'squash-fanout',
  processor: 'squash-processor',
  compactor: 'squash-compactor',
} as const;

/** Paths of the handler modules relative to the repository root (infra bundles them by path). */
export const HANDLER_ENTRIES = {
  coordinator: 'functions/coordinator/handler.ts',
  fanout: 'functions/fanout/handler.ts',
  processor: 'functions/processor/handler.ts',
  compactor: COMPACTOR_HANDLER_ENTRY,
} as const;

/** Largest synchronous Lambda request or response payload, in bytes (AWS limit). */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
