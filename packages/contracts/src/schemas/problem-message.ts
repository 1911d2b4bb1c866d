import type { TSchema } from '@sinclair/typebox';
import { type ValueError, ValueErrorType } from '@sinclair/typebox/errors';
import { quote } from '@squash/errors';

/**
 * Turns a schema error into a message in the caller's terms: where (`queries[1].topK`), the value
 * received (bounded, never a 4 MB string) and what is allowed, read from the schema's own keywords
 * (`an integer 1..1000, or leave it out for 10`). Every route's body gets the same wording without
 * a message written per field, so a new route's schema is its error messages too.
 */
export function problemMessage(error: ValueError, body: unknown, root: string): string {
  const segments = error.path.split('/').slice(1).map(unescapeSegment);
  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    const parent = renderPath(segments.slice(0, -1), body, root);
    const allowed = Object.keys((error.schema as { properties?: object }).properties ?? {});
    return `unknown field ${parent === '' ? '' : `${parent}.`}${quote(segments.at(-1))}; allowed: ${allowed.join(', ')}`;
  }
  const where = renderPath(segments, body, root) || 'body';
  const received =
    error.type === ValueErrorType.ObjectRequiredProperty ? 'missing' : describeValue(error.value);
  const fallback = (error.schema as { default?: unknown }).default;
  const leaveOut = fallback === undefined ? '' : `, or leave it out for ${quote(fallback)}`;
  return `${where} is ${received}; allowed: ${describeAllowed(error.schema, false)}${leaveOut}`;
}

/** `queries[1].topK` from the pointer segments, indexing arrays with brackets. */
function renderPath(segments: readonly string[], body: unknown, root: string): string {
  let text = root;
  let value = body;
  for (const segment of segments) {
    if (Array.isArray(value)) text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
    value =
      value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
  }
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The value received, as a message shows it. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return `the string ${quote(value, 40)}`;
  if (Array.isArray(value)) return `an array of ${value.length} ${value.length === 1 ? 'entry' : 'entries'}`;
  return typeof value === 'object' ? 'a JSON object' : typeof value;
}

interface SchemaWords {
  readonly type?: string;
  readonly const?: unknown;
  readonly anyOf?: readonly SchemaWords[];
  readonly items?: SchemaWords;
  readonly required?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
}

/** What a schema allows, in words (`plural` for an array's items: "finite numbers"). */
export function describeAllowed(schema: TSchema | SchemaWords, plural: boolean): string {
  const words = schema as SchemaWords;
  if (words.anyOf !== undefined) {
    const options = words.anyOf.map((option) => describeAllowed(option, plural));
    return options.length < 2
      ? (options[0] ?? '')
      : `${options.slice(0, -1).join(', ')} or ${options.at(-1)}`;
  }
  if (words.const !== undefined) return quote(words.const);
  const range = rangeOf(words.minimum, words.maximum);
  switch (words.type) {
    case 'integer':
      return `${plural ? 'integers' : 'an integer'}${range === '' ? '' : ` ${range}`}`;
    case 'number':
      return `${plural ? 'finite numbers' : 'a finite number'}${range === '' ? '' : ` ${range}`}`;
    case 'string':
      return plural ? 'strings' : 'a string';
    case 'boolean':
      return plural ? 'booleans' : 'true or false';
    case 'null':
      return 'null';
    case 'array': {
      const items = words.items === undefined ? 'values' : describeAllowed(words.items, true);
      return `${plural ? 'arrays' : 'an array'} of ${countOf(words.minItems, words.maxItems)}${items}`;
    }
    case 'object': {
      const required = words.required ?? [];
      const fields =
        required.length === 0
          ? ''
          : ` with ${required.length === 1 ? 'a ' : ''}${required.map((k) => quote(k)).join(', ')} field${required.length === 1 ? '' : 's'}`;
      return `${plural ? 'JSON objects' : 'a JSON object'}${fields}`;
    }
    default:
      return 'the shape GET /openapi.json describes';
  }
}

/** `1..1000`, `>= 0`, `<= 2` or nothing: a number's bounds. */
function rangeOf(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${min}..${max}`;
  if (min !== undefined) return `>= ${min}`;
  return max === undefined ? '' : `<= ${max}`;
}

/** `1..1000 `, `at least 1 `, `at most 2 ` or nothing: an array's entry count. */
function countOf(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${min}..${max} `;
  if (min !== undefined) return `at least ${min} `;
  return max === undefined ? '' : `at most ${max} `;
}
