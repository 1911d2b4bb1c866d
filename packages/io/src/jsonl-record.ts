/**
 * Validation of one JSONL vector record: `{"id": string | number, "vector": number[],
 * "attributes"?: object}`. Other keys are ignored. Every failure names the line and says what was
 * expected, because these files are usually written by hand-rolled export scripts.
 */
import { errorAtLine } from './file-error.ts';

export type JsonlAttributes = Record<string, unknown>;

export interface JsonlRecord {
  readonly id: string | number;
  readonly vector: ArrayLike<number>;
  readonly attributes?: JsonlAttributes;
}

/** What the reader remembers across lines: the dimension and the ids already seen. */
export interface JsonlState {
  dim: number | undefined;
  firstLine: number;
  /** id (as a string, so `1` and `"1"` collide, as they would in most stores) -> line. */
  readonly seenIds: Map<string, number>;
}

export function newJsonlState(): JsonlState {
  return { dim: undefined, firstLine: 0, seenIds: new Map() };
}

/** Largest finite float32; larger JSON numbers would silently become Infinity. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** Parses and checks one non-blank line, recording its id and (for the first line) the dim. */
export function parseJsonlLine(
  file: string,
  line: number,
  text: string,
  state: JsonlState,
): { id: string | number; vector: number[]; attributes: JsonlAttributes | undefined } {
  const fail = (message: string) => errorAtLine(file, line, message);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (/(^|[^"\w])(-?Infinity|NaN)\b/.test(text)) {
      throw fail('line contains NaN or Infinity, which JSON cannot represent; expected finite numbers');
    }
    throw errorAtLine(
      file,
      line,
      `invalid JSON (${(error as Error).message}); expected one object like {"id": 1, "vector": [0.5, 1]}`,
      error,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail(`found ${describe(value)}; expected a JSON object with "id" and "vector"`);
  }
  const record = value as Record<string, unknown>;
  const id = checkId(record, state, fail);
  const vector = checkVector(record, state, line, fail);
  const attributes = record.attributes;
  if (
    attributes !== undefined &&
    (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes))
  ) {
    throw fail(`"attributes" is ${describe(attributes)}; expected a JSON object`);
  }
  state.seenIds.set(String(id), line);
  return { id, vector, attributes: attributes as JsonlAttributes | undefined };
}

function checkId(
  record: Record<string, unknown>,
  state: JsonlState,
  fail: (message: string) => Error,
): string | number {
  const id = record.id;
  if (id === undefined) throw fail('"id" is missing; expected a non-empty string or a non-negative integer');
  const valid =
    (typeof id === 'string' && id.length > 0) ||
    (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0);
  if (!valid) throw fail(`"id" is ${describe(id)}; expected a non-empty string or a non-negative integer`);
  const previous = state.seenIds.get(String(id));
  if (previous !== undefined) {
    throw fail(`id ${JSON.stringify(id)} already appears on line ${previous}; expected unique ids`);
  }
  return id as string | number;
}

function checkVector(
  record: Record<string, unknown>,
  state: JsonlState,
  line: number,
  fail: (message: string) => Error,
): number[] {
  const vector = record.vector;
  const expected = state.dim === undefined ? 'numbers' : `${state.dim} numbers`;
  if (vector === undefined) throw fail(`"vector" is missing; expected an array of ${expected}`);
  if (!Array.isArray(vector)) throw fail(`"vector" is ${describe(vector)}; expected an array of ${expected}`);
  if (vector.length === 0) throw fail(`"vector" is empty; expected an array of ${expected}`);
  for (let j = 0; j < vector.length; j++) {
    const v: unknown = vector[j];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw fail(
        `vector[${j}] is ${describe(v)}; expected a finite number (NaN and Infinity are not allowed)`,
      );
    }
    if (Math.abs(v) > FLOAT32_MAX) throw fail(`vector[${j}] is ${v}; expected a number within float32 range`);
  }
  if (state.dim === undefined) {
    state.dim = vector.length;
    state.firstLine = line;
  } else if (vector.length !== state.dim) {
    throw fail(
      `"vector" has ${vector.length} values; expected ${state.dim}, the dimension of line ${state.firstLine}`,
    );
  }
  return vector as number[];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}
