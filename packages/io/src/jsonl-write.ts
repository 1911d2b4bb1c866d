import { InvalidArgumentError } from '@squash/errors';
import type { JsonlRecord } from './jsonl-record.ts';
import { writeOutput } from './output-file.ts';

/** Records per write chunk. */
const RECORDS_PER_CHUNK = 1024;

/**
 * Writes records as JSON Lines, one `{"id", "vector", "attributes"?}` object per line. Accepts a
 * lazy (async) iterable, so exports of any size stream through. Values are written as the
 * shortest decimal that reads back to the same float64 (so float32 inputs round-trip exactly).
 * Non-finite values are rejected here rather than written as `null` (what JSON.stringify does).
 */
export async function writeJsonl(
  file: string,
  records: Iterable<JsonlRecord> | AsyncIterable<JsonlRecord>,
): Promise<void> {
  await writeOutput(file, chunks(records));
}

async function* chunks(
  records: Iterable<JsonlRecord> | AsyncIterable<JsonlRecord>,
): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let lines: string[] = [];
  let index = 0;
  for await (const record of records) {
    lines.push(`${recordJson(record, index++)}\n`);
    if (lines.length === RECORDS_PER_CHUNK) {
      yield encoder.encode(lines.join(''));
      lines = [];
    }
  }
  if (lines.length > 0) yield encoder.encode(lines.join(''));
}

function recordJson(record: JsonlRecord, index: number): string {
  const vector = Array.from(record.vector);
  const bad = vector.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new InvalidArgumentError(
      'records',
      `record ${index} (id ${JSON.stringify(record.id)}) has vector[${bad}] = ${vector[bad]}; JSON needs finite numbers`,
    );
  }
  const out: Record<string, unknown> = { id: record.id, vector };
  if (record.attributes !== undefined) out.attributes = record.attributes;
  return JSON.stringify(out);
}
