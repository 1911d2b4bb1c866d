import { decodeFloat32Base64, encodeFloat32Base64 } from '@squash/core';
import { InvalidArgumentError } from '@squash/errors';
import type { BlobStore } from '@squash/storage';
import { IndexCorruptError } from './index-format-errors.ts';
import { jsonBytes, parseJsonObject } from './read-object.ts';

/**
 * The write-ahead log of an index: the writes (upserts and deletes) acknowledged since the
 * version they are not yet folded into. One object per acknowledged request:
 *
 * ```
 * log/0000000000000001.json   {"format": "squash-log", "sequence": 1, "createdAt": "...", "ops": [...]}
 * log/0000000000000002.json
 * ```
 *
 * **Ordering without a server.** A writer lists `log/`, takes the last sequence + 1 and creates
 * that key with a conditional PUT (`ifNoneMatch: '*'`, S3's `If-None-Match: *`). Of two writers
 * racing for one sequence exactly one wins; the other gets `PRECONDITION_FAILED`, lists again and
 * takes the next number. So every acknowledged request has its own sequence, no write is lost,
 * and readers apply entries in sequence order.
 *
 * **Durability.** An entry is one atomic PUT: it is in the store whole before `appendToLog`
 * resolves (and before the API acknowledges), or not at all; a crash never leaves half a request.
 *
 * **Invariant for compaction.** Entries up to a version's `logSequence` are folded into it and may
 * be deleted, except the newest entry of the log, which must stay so the next writer continues the
 * numbering after it (S3 listing is strongly consistent, so that entry is always seen).
 */
export const LOG_PREFIX = 'log/';
export const LOG_FORMAT = 'squash-log';
const SEQUENCE_DIGITS = 16;
const LOG_KEY = /^log\/(\d{16})\.json$/;

export type LogAttributeValue = string | number | boolean | null;

export type LogOp =
  | {
      readonly op: 'upsert';
      readonly id: string;
      readonly vector: Float32Array;
      readonly attributes?: Readonly<Record<string, LogAttributeValue>>;
      /** Stored and returned, never filtered on. */
      readonly metadata?: Readonly<Record<string, unknown>>;
    }
  | { readonly op: 'delete'; readonly id: string };

export interface LogEntry {
  readonly sequence: number;
  readonly createdAt: string;
  readonly ops: readonly LogOp[];
}

export function logKey(sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    throw new InvalidArgumentError('sequence', `sequence is ${sequence}; allowed: an integer >= 1`);
  }
  return `${LOG_PREFIX}${String(sequence).padStart(SEQUENCE_DIGITS, '0')}.json`;
}

export interface AppendOptions {
  /** Conditional creates to try before giving up under contention. @default 32 */
  readonly maxAttempts?: number;
  /** @default new Date() */
  readonly now?: Date;
}

/**
 * Appends one request's operations as the next entry of the log (see the module comment) and
 * returns its sequence. Rejects an empty request.
 *
 * @throws StorageError with code `PRECONDITION_FAILED` after `maxAttempts` lost races.
 */
export async function appendToLog(
  store: BlobStore,
  ops: readonly LogOp[],
  options: AppendOptions = {},
): Promise<{ sequence: number }> {
  if (ops.length === 0) throw new InvalidArgumentError('ops', 'a log entry needs at least one operation');
  const maxAttempts = options.maxAttempts ?? 32;
  const createdAt = (options.now ?? new Date()).toISOString();
  for (let attempt = 1; ; attempt++) {
    const sequence = (await lastSequence(store)) + 1;
    try {
      await store.put(logKey(sequence), encodeEntry({ sequence, createdAt, ops }), {
        ifNoneMatch: '*',
        contentType: 'application/json',
      });
      return { sequence };
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'PRECONDITION_FAILED' || attempt >= maxAttempts) throw error;
      // Another writer took this sequence: back off a little (jittered) and take the next one.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
    }
  }
}

/** The sequence of the newest entry, or 0 for an empty log. */
export async function lastSequence(store: BlobStore): Promise<number> {
  let last = 0;
  for await (const { key } of store.list(LOG_PREFIX)) {
    const match = LOG_KEY.exec(key);
    if (match !== null) last = Math.max(last, Number(match[1]));
  }
  return last;
}

/**
 * The entries with a sequence above `afterSequence` (a version's `logSequence`), in order.
 *
 * @throws IndexCorruptError naming the entry that is malformed, or whose name and content disagree.
 */
export async function readLog(store: BlobStore, afterSequence = 0): Promise<LogEntry[]> {
  const keys: Array<{ key: string; sequence: number }> = [];
  for await (const { key } of store.list(LOG_PREFIX)) {
    const match = LOG_KEY.exec(key);
    if (match !== null && Number(match[1]) > afterSequence) keys.push({ key, sequence: Number(match[1]) });
  }
  keys.sort((a, b) => a.sequence - b.sequence);
  return Promise.all(
    keys.map(async ({ key, sequence }) => {
      const bytes = await store.get(key);
      // Deleted by a compaction between list and get: it was folded, so the caller's base covers it.
      if (bytes === undefined) return undefined;
      const entry = decodeEntry(bytes, key);
      if (entry.sequence !== sequence) {
        throw new IndexCorruptError(key, `log entry ${key} holds sequence ${entry.sequence}`);
      }
      return entry;
    }),
  ).then((entries) => entries.filter((e): e is LogEntry => e !== undefined));
}

/** One row as the log's tail leaves it: the latest upsert of its id. */
export interface TailRow {
  readonly id: string;
  readonly vector: Float32Array;
  readonly attributes: Readonly<Record<string, LogAttributeValue>>;
  readonly metadata: Readonly<Record<string, unknown>> | undefined;
  readonly sequence: number;
}

/** The net effect of log entries on a base version. */
export interface LogTail {
  /** Ids whose latest operation is an upsert, with that row. */
  readonly rows: ReadonlyMap<string, TailRow>;
  /** Ids whose latest operation is a delete. */
  readonly deleted: ReadonlySet<string>;
  /** Sequence of the newest entry folded here (the base's `logSequence` when there is none). */
  readonly lastSequence: number;
}

/**
 * Folds entries (in sequence order) into their net effect: per id, the last operation wins. A
 * query over base + tail masks every id in `rows` or `deleted` out of the base, then searches
 * `rows` exactly.
 */
export function foldLog(entries: readonly LogEntry[], baseSequence = 0): LogTail {
  const rows = new Map<string, TailRow>();
  const deleted = new Set<string>();
  let last = baseSequence;
  for (const entry of entries) {
    last = Math.max(last, entry.sequence);
    for (const op of entry.ops) {
      if (op.op === 'delete') {
        rows.delete(op.id);
        deleted.add(op.id);
      } else {
        deleted.delete(op.id);
        rows.set(op.id, {
          id: op.id,
          vector: op.vector,
          attributes: op.attributes ?? {},
          metadata: op.metadata,
          sequence: entry.sequence,
        });
      }
    }
  }
  return { rows, deleted, lastSequence: last };
}

function encodeEntry(entry: LogEntry): Uint8Array {
  return jsonBytes({
    format: LOG_FORMAT,
    sequence: entry.sequence,
    createdAt: entry.createdAt,
    ops: entry.ops.map((op) =>
      op.op === 'delete'
        ? { op: 'delete', id: op.id }
        : {
            op: 'upsert',
            id: op.id,
            vector: encodeFloat32Base64(op.vector),
            ...(op.attributes === undefined ? {} : { attributes: op.attributes }),
            ...(op.metadata === undefined ? {} : { metadata: op.metadata }),
          },
    ),
  });
}

function decodeEntry(bytes: Uint8Array, key: string): LogEntry {
  const json = parseJsonObject(bytes, key) as Record<string, unknown> | null;
  const fail = (what: string): never => {
    throw new IndexCorruptError(key, `log entry ${key}: ${what}`);
  };
  if (typeof json !== 'object' || json === null || json.format !== LOG_FORMAT)
    fail(`not a ${LOG_FORMAT} object`);
  const { sequence, createdAt, ops } = json as Record<string, unknown>;
  if (!Number.isSafeInteger(sequence) || (sequence as number) < 1) fail('sequence is not an integer >= 1');
  if (typeof createdAt !== 'string') fail('createdAt is not a string');
  if (!Array.isArray(ops) || ops.length === 0) fail('ops is not a non-empty array');
  return {
    sequence: sequence as number,
    createdAt: createdAt as string,
    ops: (ops as unknown[]).map((raw, i) => decodeOp(raw, `ops[${i}]`, fail)),
  };
}

function decodeOp(raw: unknown, where: string, fail: (what: string) => never): LogOp {
  const op = raw as Record<string, unknown> | null;
  if (typeof op !== 'object' || op === null || typeof op.id !== 'string' || op.id === '') {
    return fail(`${where} has no id`);
  }
  if (op.op === 'delete') return { op: 'delete', id: op.id };
  if (op.op !== 'upsert') return fail(`${where}.op is ${JSON.stringify(op.op)}; expected upsert or delete`);
  let vector: Float32Array;
  try {
    vector = decodeFloat32Base64(op.vector as string, `${where}.vector`);
  } catch (error) {
    return fail((error as Error).message);
  }
  const record = (value: unknown, name: string) => {
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return fail(`${where}.${name} is not an object`);
    return value as Record<string, never>;
  };
  const attributes = record(op.attributes, 'attributes');
  const metadata = record(op.metadata, 'metadata');
  return {
    op: 'upsert',
    id: op.id,
    vector,
    ...(attributes === undefined ? {} : { attributes }),
    ...(metadata === undefined ? {} : { metadata }),
  };
}
