/**
 * Reader for JSON Lines vector files (jsonlines.org): one record per line, see `jsonl-record.ts`.
 * Lines are split as they stream in, so memory is one batch plus the id set used to reject
 * duplicates (one string per row). Blank lines are skipped; `\r\n` endings are accepted.
 */
import { errorAtLine } from './file-error.ts';
import { readInputChunks } from './input-source.ts';
import { type JsonlAttributes, newJsonlState, parseJsonlLine } from './jsonl-record.ts';
import { checkBatchRows, type MatrixBatch, type StreamOptions } from './matrix.ts';

export type { JsonlAttributes, JsonlRecord } from './jsonl-record.ts';

export interface JsonlBatch extends MatrixBatch<Float32Array> {
  readonly ids: (string | number)[];
  readonly attributes: (JsonlAttributes | undefined)[];
}

export interface JsonlFile {
  readonly data: Float32Array;
  readonly n: number;
  readonly dim: number;
  readonly ids: (string | number)[];
  readonly attributes: (JsonlAttributes | undefined)[];
}

/** Reads a whole JSONL file (optionally `.gz`). */
export async function readJsonl(file: string): Promise<JsonlFile> {
  const batches: JsonlBatch[] = [];
  for await (const batch of streamJsonl(file)) batches.push(batch);
  const dim = batches[0]!.dim;
  const n = batches.reduce((sum, b) => sum + b.n, 0);
  const data = new Float32Array(n * dim);
  for (const b of batches) data.set(b.data, b.firstRow * dim);
  return {
    data,
    n,
    dim,
    ids: batches.flatMap((b) => b.ids),
    attributes: batches.flatMap((b) => b.attributes),
  };
}

/** Streams a JSONL file as batches of `batchRows` records. An empty file is an error. */
export async function* streamJsonl(file: string, options: StreamOptions = {}): AsyncGenerator<JsonlBatch> {
  const batchRows = checkBatchRows(options.batchRows);
  const state = newJsonlState();
  let pending: Pending = newPending();
  let firstRow = 0;
  let lastLine = 0;
  for await (const { line, text } of readLines(file)) {
    lastLine = line;
    if (text.trim() === '') continue;
    const record = parseJsonlLine(file, line, text, state);
    pending.vectors.push(record.vector);
    pending.ids.push(record.id);
    pending.attributes.push(record.attributes);
    if (pending.ids.length === batchRows) {
      yield toBatch(pending, state.dim!, firstRow);
      firstRow += batchRows;
      pending = newPending();
    }
  }
  if (pending.ids.length > 0) yield toBatch(pending, state.dim!, firstRow);
  else if (firstRow === 0) {
    throw errorAtLine(file, Math.max(1, lastLine), 'file has no records; expected one JSON object per line');
  }
}

interface Pending {
  vectors: number[][];
  ids: (string | number)[];
  attributes: (JsonlAttributes | undefined)[];
}

function newPending(): Pending {
  return { vectors: [], ids: [], attributes: [] };
}

function toBatch(pending: Pending, dim: number, firstRow: number): JsonlBatch {
  const n = pending.ids.length;
  const data = new Float32Array(n * dim);
  pending.vectors.forEach((vector, r) => {
    data.set(vector, r * dim);
  });
  return { data, n, dim, firstRow, ids: pending.ids, attributes: pending.attributes };
}

/** Splits decoded text into lines with 1-based numbers; a final line without `\n` counts. */
async function* readLines(file: string): AsyncGenerator<{ line: number; text: string }> {
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let line = 0;
  for await (const chunk of readInputChunks(file)) {
    const text = carry + decoder.decode(chunk, { stream: true });
    const parts = text.split('\n');
    carry = parts.pop()!;
    for (const part of parts) yield { line: ++line, text: stripCr(part) };
  }
  carry += decoder.decode();
  if (carry !== '') yield { line: ++line, text: stripCr(carry) };
}

function stripCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}
