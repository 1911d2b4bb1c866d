/**
 * The filterable attributes of a build, gathered from up to three kinds of source, each giving one
 * value set per vector row, in row order:
 *
 * - the `attributes` objects of a JSONL vector input;
 * - `--attributes file.jsonl` (one JSON object per line) or `--attributes file.csv` (header line
 *   of attribute names, see `csv.ts`), optionally gzipped;
 * - `--attributes name=labels.idx`: one integer per row from an IDX (or .npy) file of shape [n],
 *   such as the MNIST label files; the attribute is `integer` unless the schema says otherwise.
 *
 * Types come from `--schema` where declared and are inferred (`inferSchema`) otherwise. Each
 * source becomes attribute columns on its own and the columns are merged, so a label file never
 * materialises one object per row. Every failure names the file it is about.
 */
import {
  type AttributeColumn,
  type AttributeColumns,
  type AttributeSchema,
  type AttributeSpec,
  buildAttributeColumns,
  inferSchema,
  validateAttributeSchema,
} from '@squash/core';
import { detectVectorFormat, InvalidInputFileError, readIdx, readVectors } from '@squash/io';
import { UsageError } from './args.ts';
import { csvAttributeRows } from './csv.ts';
import { readAs } from './shown-path.ts';
import { readTextFile } from './text-file.ts';

/** One `--attributes` value, parsed. */
export type AttributeSource =
  | { readonly kind: 'jsonl' | 'csv'; readonly file: string }
  | { readonly kind: 'labels'; readonly name: string; readonly file: string };

const LABEL_SPEC = /^([^=/\\]+)=(.+)$/;

/**
 * Parses an `--attributes` value: `name=<file>` (a label file; the name holds no `/`, `\` or `=`,
 * so write `./a=b.csv` for a CSV file whose name contains `=`), or a `.jsonl` / `.ndjson` / `.csv`
 * file, optionally ending in `.gz`.
 */
export function parseAttributeSpec(spec: string): AttributeSource {
  const label = LABEL_SPEC.exec(spec);
  if (label !== null) {
    const name = label[1]!;
    if (name.startsWith('$')) {
      throw new UsageError(
        `--attributes ${JSON.stringify(spec)}: attribute name "${name}" starts with "$", which filters reserve`,
      );
    }
    return { kind: 'labels', name, file: label[2]! };
  }
  const lower = spec.toLowerCase().replace(/\.gz$/, '');
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return { kind: 'jsonl', file: spec };
  if (lower.endsWith('.csv')) return { kind: 'csv', file: spec };
  throw new UsageError(
    `--attributes is ${JSON.stringify(spec)}; allowed: a .jsonl, .ndjson or .csv file (optionally .gz) or name=<IDX label file>`,
  );
}

export interface LoadAttributesOptions {
  /** Rows of vectors in the input; every source must have exactly this many. */
  readonly rowCount: number;
  /** The vector input file, named in row-count errors. */
  readonly vectorsFile: string;
  /** The `attributes` of each JSONL input row (undefined where a line has none). */
  readonly inputRows?: readonly (Readonly<Record<string, unknown>> | undefined)[];
  readonly sources: readonly AttributeSource[];
  /** Declared types (`--schema`). @default {} */
  readonly schema?: AttributeSchema;
  /** The schema file, named when it declares an attribute no source provides. */
  readonly schemaFile?: string;
  /** Maps a path as typed to the path to open (relative paths against the command's cwd). */
  readonly resolvePath: (path: string) => string;
}

/** Reads every source and merges their columns; `undefined` when there are no attributes at all. */
export async function loadAttributes(options: LoadAttributesOptions): Promise<AttributeColumns | undefined> {
  const declared = options.schema ?? {};
  const owner = new Map<string, string>();
  const schema: Record<string, AttributeSpec> = Object.create(null);
  const columns = new Map<string, AttributeColumn>();
  const add = (file: string, part: AttributeColumns): void => {
    for (const [name, column] of part.columns) {
      const previous = owner.get(name);
      if (previous !== undefined) {
        throw new InvalidInputFileError(
          file,
          undefined,
          `attribute "${name}" is also given by ${previous}; give each attribute in one source`,
        );
      }
      owner.set(name, file);
      schema[name] = part.schema[name]!;
      columns.set(name, column);
    }
  };
  const inputRows = options.inputRows;
  if (inputRows?.some((row) => row !== undefined && Object.keys(row).length > 0)) {
    const rows = inputRows.map((row) => row ?? {});
    add(options.vectorsFile, rowsToColumns(options.vectorsFile, rows, declared));
  }
  for (const source of options.sources) {
    add(source.file, await loadSource(source, options, declared));
  }
  for (const name of Object.keys(declared)) {
    if (!owner.has(name)) {
      throw new InvalidInputFileError(
        options.schemaFile ?? 'schema',
        undefined,
        `declares attribute "${name}", which no attribute source provides; provided: ${[...owner.keys()].join(', ') || '(none)'}`,
      );
    }
  }
  if (columns.size === 0) return undefined;
  return { rowCount: options.rowCount, schema: validateAttributeSchema(schema), columns };
}

async function loadSource(
  source: AttributeSource,
  options: LoadAttributesOptions,
  declared: AttributeSchema,
): Promise<AttributeColumns> {
  const path = options.resolvePath(source.file);
  if (source.kind === 'labels') {
    const labels = await readLabels(path, source.file);
    checkRowCount(source.file, labels.length, options);
    return labelColumns(source.file, source.name, labels, declared);
  }
  const text = await readTextFile(path, source.file);
  const rows =
    source.kind === 'csv'
      ? csvAttributeRows(source.file, text, declared)
      : jsonlAttributeRows(source.file, text);
  checkRowCount(source.file, rows.length, options);
  return rowsToColumns(source.file, rows, declared);
}

function checkRowCount(file: string, rows: number, options: LoadAttributesOptions): void {
  if (rows !== options.rowCount) {
    throw new InvalidInputFileError(
      file,
      undefined,
      `has ${rows} attribute rows but ${options.vectorsFile} has ${options.rowCount} vectors; expected one attribute row per vector, in the same order`,
    );
  }
}

/** Types the rows (declared types first, inferred for the rest) and builds their columns. */
function rowsToColumns(
  file: string,
  rows: readonly Readonly<Record<string, unknown>>[],
  declared: AttributeSchema,
): AttributeColumns {
  try {
    const names = new Set<string>();
    for (const row of rows) for (const name of Object.keys(row)) names.add(name);
    const needsInference = [...names].some((name) => declaredSpec(declared, name) === undefined);
    const inferred = needsInference ? inferSchema(rows) : {};
    const schema: Record<string, AttributeSpec> = Object.create(null);
    for (const name of names) schema[name] = declaredSpec(declared, name) ?? declaredSpec(inferred, name)!;
    return buildAttributeColumns(rows, schema);
  } catch (error) {
    if (error instanceof InvalidInputFileError) throw error;
    throw new InvalidInputFileError(file, undefined, (error as Error).message, { cause: error });
  }
}

/** One JSON object per non-blank line; `null` or `{}` means the row has no attributes. */
function jsonlAttributeRows(file: string, text: string): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new InvalidInputFileError(
        file,
        { line: i + 1 },
        `invalid JSON (${(error as Error).message}); expected one object of attributes per line`,
        { cause: error },
      );
    }
    if (value === null) value = {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new InvalidInputFileError(
        file,
        { line: i + 1 },
        `found ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}; expected a JSON object of attributes`,
      );
    }
    rows.push(value as Record<string, unknown>);
  });
  return rows;
}

/** Reads a label file of shape [n] (or [n, 1]) as float64 values. */
async function readLabels(path: string, shown: string): Promise<Float64Array> {
  const format = await readAs(path, shown, async (p) => detectVectorFormat(p));
  if (format === 'jsonl') {
    throw new InvalidInputFileError(
      shown,
      undefined,
      'a name=<file> attribute needs an IDX or .npy label file; give JSONL attributes as --attributes file.jsonl',
    );
  }
  // IDX is read directly so int32 labels stay exact (readVectors converts to float32).
  const matrix = await readAs<{ dim: number; data: ArrayLike<number> }>(path, shown, (p) =>
    format === 'idx' ? readIdx(p) : readVectors(p),
  );
  if (matrix.dim !== 1) {
    throw new InvalidInputFileError(
      shown,
      undefined,
      `holds rows of ${matrix.dim} values; expected one label per row (shape [n])`,
    );
  }
  return Float64Array.from(matrix.data);
}

function labelColumns(
  file: string,
  name: string,
  labels: Float64Array,
  declared: AttributeSchema,
): AttributeColumns {
  const type = declaredSpec(declared, name)?.type ?? (labels.every(Number.isInteger) ? 'integer' : 'number');
  if (type === 'integer' || type === 'number') {
    if (type === 'integer') {
      const bad = labels.findIndex((v) => !Number.isInteger(v));
      if (bad >= 0) {
        throw new InvalidInputFileError(
          file,
          undefined,
          `row ${bad} holds ${labels[bad]}; expected an integer`,
        );
      }
    }
    const schema = validateAttributeSchema({ [name]: { type } });
    return { rowCount: labels.length, schema, columns: new Map([[name, { type, values: labels }]]) };
  }
  // category or boolean labels: rare, so the simple path through row objects is fine.
  const rows = Array.from(labels, (v) => ({ [name]: type === 'boolean' ? toBoolean(file, v) : String(v) }));
  return rowsToColumns(file, rows, declared);
}

function toBoolean(file: string, value: number): boolean {
  if (value === 0 || value === 1) return value === 1;
  throw new InvalidInputFileError(file, undefined, `holds ${value}; a boolean label must be 0 or 1`);
}

/** The spec a schema declares for `name`, by own property (so `constructor` is never inherited). */
export function declaredSpec(schema: AttributeSchema, name: string): AttributeSpec | undefined {
  return Object.hasOwn(schema, name) ? schema[name] : undefined;
}
