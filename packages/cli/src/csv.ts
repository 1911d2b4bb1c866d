/**
 * A small CSV reader for attribute files (RFC 4180): comma-separated fields, fields in double
 * quotes may hold commas, line breaks and doubled quotes (`"say ""hi"""`). The first record is the
 * header. `\r\n` and `\n` line endings and a leading UTF-8 byte-order mark are accepted.
 *
 * Values are typed per column, because a file is usually written by one export script: a column
 * whose non-empty values all read as decimal numbers is numeric, one whose values are all `true` /
 * `false` is boolean, anything else is a category (string). An empty field is a missing value.
 * A column declared in the schema is converted to the declared type instead, so a `category`
 * column of zip codes keeps `"02134"` as a string.
 */
import type { AttributeSchema } from '@squash/core';
import { InvalidInputFileError } from '@squash/io';

/** One record and the 1-based line it starts on. */
export interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
}

/** Splits CSV text into records. Throws `InvalidInputFileError` (with the line) on bad quoting. */
export function parseCsv(file: string, text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  // True once the current record has any character, so a last line of just `""` still counts.
  let open = false;
  const endRecord = (): void => {
    fields.push(field);
    records.push({ fields, line: recordLine });
    fields = [];
    field = '';
    open = false;
  };
  while (i < source.length) {
    const c = source[i]!;
    if (c !== '\n' && c !== '\r') open = true;
    if (c === '"' && field === '') {
      const end = readQuoted(file, source, i, line);
      field = end.value;
      line = end.line;
      i = end.next;
      const after = source[i];
      if (after !== undefined && after !== ',' && after !== '\n' && after !== '\r') {
        throw new InvalidInputFileError(
          file,
          { line },
          `unexpected ${JSON.stringify(after)} after a closing quote; expected a comma or the end of the line`,
        );
      }
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
    }
    i++;
  }
  // The last record has no line break after it, unless the file ends with one.
  if (open) endRecord();
  return records;
}

/** Reads a quoted field starting at the opening quote `start`. */
function readQuoted(
  file: string,
  source: string,
  start: number,
  startLine: number,
): { value: string; next: number; line: number } {
  let value = '';
  let line = startLine;
  let i = start + 1;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '"') {
      if (source[i + 1] === '"') {
        value += '"';
        i += 2;
        continue;
      }
      return { value, next: i + 1, line };
    }
    if (c === '\n') line++;
    value += c;
    i++;
  }
  throw new InvalidInputFileError(
    file,
    { line: startLine },
    'a quoted field is never closed; expected a closing double quote',
  );
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses a CSV attribute file into one attribute object per data row (missing values omitted).
 * Every row must have as many fields as the header; header names must be unique and non-empty.
 */
export function csvAttributeRows(
  file: string,
  text: string,
  declared: AttributeSchema = {},
): Record<string, unknown>[] {
  const records = parseCsv(file, text);
  const header = records[0];
  if (header === undefined) {
    throw new InvalidInputFileError(
      file,
      undefined,
      'file is empty; expected a header line of attribute names',
    );
  }
  checkHeader(file, header);
  const body = records.slice(1);
  for (const record of body) {
    if (record.fields.length !== header.fields.length) {
      throw new InvalidInputFileError(
        file,
        { line: record.line },
        `row has ${record.fields.length} fields; expected ${header.fields.length}, like the header`,
      );
    }
  }
  const rows: Record<string, unknown>[] = body.map(() => ({}));
  header.fields.forEach((name, column) => {
    const convert = columnConverter(
      file,
      name,
      body,
      column,
      Object.hasOwn(declared, name) ? declared[name]?.type : undefined,
    );
    body.forEach((record, r) => {
      const raw = record.fields[column]!;
      if (raw !== '') rows[r]![name] = convert(raw, record.line);
    });
  });
  return rows;
}

function checkHeader(file: string, header: CsvRecord): void {
  const seen = new Set<string>();
  for (const name of header.fields) {
    if (name.trim() === '') {
      throw new InvalidInputFileError(file, { line: 1 }, 'header has an empty column name');
    }
    if (seen.has(name)) {
      throw new InvalidInputFileError(file, { line: 1 }, `header names column "${name}" twice`);
    }
    seen.add(name);
  }
}

type Converter = (raw: string, line: number) => unknown;

function columnConverter(
  file: string,
  name: string,
  body: readonly CsvRecord[],
  column: number,
  declaredType: string | undefined,
): Converter {
  const fail = (raw: string, line: number, expected: string): never => {
    throw new InvalidInputFileError(
      file,
      { line },
      `column "${name}" holds ${JSON.stringify(raw)}; expected ${expected}`,
    );
  };
  const toNumber: Converter = (raw, line) =>
    DECIMAL.test(raw.trim()) ? Number(raw.trim()) : fail(raw, line, 'a decimal number');
  const toBoolean: Converter = (raw, line) => {
    const lower = raw.trim().toLowerCase();
    return lower === 'true' ? true : lower === 'false' ? false : fail(raw, line, 'true or false');
  };
  if (declaredType === 'category') return (raw) => raw;
  if (declaredType === 'number' || declaredType === 'integer') return toNumber;
  if (declaredType === 'boolean') return toBoolean;
  const values = body.map((record) => record.fields[column]!).filter((raw) => raw !== '');
  if (values.length > 0 && values.every((raw) => DECIMAL.test(raw.trim()))) return toNumber;
  if (values.length > 0 && values.every((raw) => /^(true|false)$/i.test(raw.trim()))) return toBoolean;
  return (raw) => raw;
}
