import { InvalidArgumentError } from '../errors/index.ts';
import {
  type AttributeSchema,
  type AttributeSpec,
  type AttributeType,
  assertAttributeName,
  describeJson,
  isPlainObject,
} from './attribute-schema.ts';

/**
 * Infers an attribute schema from row objects, for data that arrives without one.
 *
 * Per attribute, over every row where it is present (not `undefined` / `null`): all finite numbers
 * -> `integer` when every one is integral, else `number`; all strings -> `category`; all booleans ->
 * `boolean`. Mixed kinds, non-finite numbers, other values (arrays, objects) and an attribute
 * that never has a value throw `InvalidArgumentError`, naming the attribute and the first row
 * that conflicts. Keys are reported in first-seen order.
 */
export function inferSchema(rows: ReadonlyArray<Readonly<Record<string, unknown>>>): AttributeSchema {
  if (!Array.isArray(rows))
    throw new InvalidArgumentError('rows', `rows must be an array, got ${describeJson(rows)}`);
  const seen = new Map<string, { kind: 'number' | 'category' | 'boolean' | undefined; integral: boolean }>();
  rows.forEach((row, i) => {
    if (!isPlainObject(row)) {
      throw new InvalidArgumentError(
        'rows',
        `row ${i} must be an object of attributes, got ${describeJson(row)}`,
      );
    }
    for (const name of Object.keys(row)) {
      let state = seen.get(name);
      if (state === undefined) {
        assertAttributeName(name, 'rows');
        state = { kind: undefined, integral: true };
        seen.set(name, state);
      }
      const value = row[name];
      if (value === undefined || value === null) continue;
      const kind = kindOf(value, i, name);
      if (state.kind !== undefined && state.kind !== kind) {
        throw new InvalidArgumentError(
          'rows',
          `attribute "${name}" mixes kinds: row ${i} has ${describeJson(value)}, earlier rows have ${state.kind} values`,
        );
      }
      state.kind = kind;
      if (kind === 'number' && !Number.isInteger(value)) state.integral = false;
    }
  });
  const schema: Record<string, AttributeSpec> = Object.create(null);
  for (const [name, state] of seen) {
    if (state.kind === undefined) {
      throw new InvalidArgumentError(
        'rows',
        `attribute "${name}" has no value in any row, so its type cannot be inferred`,
      );
    }
    const type: AttributeType =
      state.kind === 'number' ? (state.integral ? 'integer' : 'number') : state.kind;
    schema[name] = Object.freeze({ type });
  }
  return Object.freeze(schema);
}

function kindOf(value: unknown, row: number, name: string): 'number' | 'category' | 'boolean' {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new InvalidArgumentError(
        'rows',
        `row ${row}, attribute "${name}": ${value} is not a finite number`,
      );
    }
    return 'number';
  }
  if (typeof value === 'string') return 'category';
  if (typeof value === 'boolean') return 'boolean';
  throw new InvalidArgumentError(
    'rows',
    `row ${row}, attribute "${name}": ${describeJson(value)} is not a number, string or boolean`,
  );
}
