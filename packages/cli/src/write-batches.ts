import { MAX_SYNC_PAYLOAD_BYTES, MAX_WRITE_ROWS } from '@squash/contracts';
import { SquashError } from '@squash/errors';

/**
 * Bytes of JSON one write request may carry, counted as the body will be once JSON-escaped into
 * the Lambda event (`"` and `\` count twice). The API refuses bodies over 6 MiB, and events over
 * the invocation limit once wrapped (`PAYLOAD_TOO_LARGE`); 5 MiB leaves room for the event's
 * headers and fields. 1,000 rows of 784 dimensions are about 8 MB, so they go in two requests.
 */
export const MAX_REQUEST_JSON_BYTES = 5 * 1024 * 1024;

/** Bytes of `{"vectors":[` + `]}` around the rows. */
const ENVELOPE_BYTES = 16;

/** One row of the input, parsed, with where it came from. */
export interface WriteItem {
  /** 1-based line of the input file. */
  readonly line: number;
  /** The row as the request carries it (an upsert row object or a delete id). */
  readonly value: unknown;
  /** Its id when it has a string one (duplicates split requests); undefined otherwise. */
  readonly id: string | undefined;
  /** `requestBytes(value)`. */
  readonly bytes: number;
}

/** The rows of one request, with their input lines. */
export interface WriteBatch {
  readonly values: unknown[];
  readonly lines: number[];
  readonly bytes: number;
}

export interface BatchLimits {
  /** Rows per request, 1..1000. */
  readonly maxRows: number;
  /** JSON bytes per request (`requestBytes`), envelope included. @default MAX_REQUEST_JSON_BYTES */
  readonly maxBytes?: number;
}

/** A line of the input that cannot become part of a request; nothing of its request is sent. */
export class WriteInputError extends SquashError<'INVALID_JSON' | 'INVALID_REQUEST' | 'PAYLOAD_TOO_LARGE'> {
  constructor(
    code: WriteInputError['code'],
    readonly line: number,
    message: string,
  ) {
    super(code, message);
  }
}

/** Bytes `value` adds to a request body as JSON, escaped once more as the Lambda event carries it. */
export function requestBytes(value: unknown): number {
  const json = JSON.stringify(value);
  let escapes = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) escapes++;
  }
  return Buffer.byteLength(json) + escapes + 1; // + 1: the comma between rows
}

/**
 * Groups `items` into requests of at most `maxRows` rows and `maxBytes` bytes, in input order. A
 * row whose id is already in the request being gathered starts the next request: the API refuses
 * an id twice in one request (`DUPLICATE_ID`), and sent in order the later line wins, as it would
 * row by row. A row that alone exceeds `maxBytes` throws `WriteInputError` (`PAYLOAD_TOO_LARGE`).
 */
export async function* batchWrites(
  items: AsyncIterable<WriteItem>,
  limits: BatchLimits,
): AsyncGenerator<WriteBatch> {
  const maxBytes = limits.maxBytes ?? MAX_REQUEST_JSON_BYTES;
  if (!Number.isInteger(limits.maxRows) || limits.maxRows < 1 || limits.maxRows > MAX_WRITE_ROWS) {
    throw new RangeError(`maxRows is ${limits.maxRows}; allowed: an integer 1..${MAX_WRITE_ROWS}`);
  }
  let values: unknown[] = [];
  let lines: number[] = [];
  let ids = new Set<string>();
  let bytes = ENVELOPE_BYTES;
  for await (const item of items) {
    if (ENVELOPE_BYTES + item.bytes > maxBytes) {
      throw new WriteInputError(
        'PAYLOAD_TOO_LARGE',
        item.line,
        `the row is ${item.bytes} bytes as JSON; allowed: at most ${maxBytes - ENVELOPE_BYTES} (a request carries at most ${maxBytes}, the API ${MAX_SYNC_PAYLOAD_BYTES})`,
      );
    }
    const full =
      values.length === limits.maxRows ||
      bytes + item.bytes > maxBytes ||
      (item.id !== undefined && ids.has(item.id));
    if (full && values.length > 0) {
      yield { values, lines, bytes };
      values = [];
      lines = [];
      ids = new Set();
      bytes = ENVELOPE_BYTES;
    }
    values.push(item.value);
    lines.push(item.line);
    if (item.id !== undefined) ids.add(item.id);
    bytes += item.bytes;
  }
  if (values.length > 0) yield { values, lines, bytes };
}
