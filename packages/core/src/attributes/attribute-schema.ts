import { InvalidArgumentError } from '../errors/index.ts';

/**
 * The kinds of value an attribute can hold.
 * - `number`: any finite double.
 * - `integer`: a finite double with no fractional part (stored and compared as a double).
 * - `category`: a string from an open set (colour, language, tenant); equality only.
 * - `boolean`: true or false.
 */
export type AttributeType = 'number' | 'integer' | 'category' | 'boolean';

export const ATTRIBUTE_TYPES: readonly AttributeType[] = ['number', 'integer', 'category', 'boolean'];

export interface AttributeSpec {
  readonly type: AttributeType;
}

/** Attribute name -> its type. Names are non-empty and never start with `$` (filter operators do). */
export type AttributeSchema = Readonly<Record<string, AttributeSpec>>;

/** True for `number` and `integer`, the types range operators ($gt, $gte, $lt, $lte) apply to. */
export function isNumericType(type: AttributeType): type is 'number' | 'integer' {
  return type === 'number' || type === 'integer';
}

/** Throws unless `name` is a usable attribute name: a non-empty string not starting with `$`. */
export function assertAttributeName(name: string, where = 'schema'): void {
  if (name.length === 0) {
    throw new InvalidArgumentError(
      where,
      'attribute name is empty; allowed: a non-empty string not starting with "$"',
    );
  }
  if (name.startsWith('$')) {
    throw new InvalidArgumentError(
      where,
      `attribute name ${JSON.stringify(name)} starts with "$", which is reserved for filter operators`,
    );
  }
}

/**
 * Checks an attribute schema supplied from outside (for instance parsed JSON) and returns a frozen
 * copy with a null prototype, so names such as `constructor` or `__proto__` are plain keys. Rejects
 * a non-object schema, bad names, unknown types and unknown keys in an attribute's spec.
 */
export function validateAttributeSchema(schema: unknown): AttributeSchema {
  if (!isPlainObject(schema)) {
    throw new InvalidArgumentError(
      'schema',
      `attribute schema must be an object, got ${describeJson(schema)}`,
    );
  }
  const copy: Record<string, AttributeSpec> = Object.create(null);
  for (const name of Object.keys(schema)) {
    assertAttributeName(name);
    const spec = schema[name];
    if (!isPlainObject(spec)) {
      throw new InvalidArgumentError(
        'schema',
        `attribute "${name}" must be { type: ... }, got ${describeJson(spec)}`,
      );
    }
    for (const key of Object.keys(spec)) {
      if (key !== 'type') {
        throw new InvalidArgumentError(
          'schema',
          `attribute "${name}" has unknown key "${key}"; allowed: type`,
        );
      }
    }
    const type = spec.type;
    if (typeof type !== 'string' || !(ATTRIBUTE_TYPES as readonly string[]).includes(type)) {
      throw new InvalidArgumentError(
        'schema',
        `attribute "${name}" has type ${describeJson(type)}; allowed: ${ATTRIBUTE_TYPES.join(', ')}`,
      );
    }
    copy[name] = Object.freeze({ type: type as AttributeType });
  }
  return Object.freeze(copy);
}

/** Own-property lookup, so inherited names (`toString`, `constructor`) are never attributes. */
export function ownValue(record: object, key: string): unknown {
  return Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;
}

/** A non-null, non-array object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Short description of a JSON-ish value for error messages: `string "abc"`, `array`, `null`. */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'undefined':
      return 'undefined';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}
