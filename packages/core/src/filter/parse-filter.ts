import { quote } from '@squash/errors';
import {
  type AttributeSchema,
  type AttributeType,
  describeJson,
  isNumericType,
  isPlainObject,
  ownValue,
  validateAttributeSchema,
} from '../attributes/attribute-schema.ts';
import {
  ATTRIBUTE_OPERATORS,
  type ComparisonOperator,
  type FilterAst,
  LOGICAL_OPERATORS,
  MAX_FILTER_DEPTH,
  MAX_FILTER_TERMS,
  RANGE_OPERATORS,
  type ScalarValue,
} from './filter-ast.ts';
import { childPath, indexPath, ROOT_PATH } from './filter-path.ts';
import { InvalidFilterError } from './invalid-filter-error.ts';

/**
 * Parses and validates a JSON filter against an attribute schema. The language is the one of
 * Pinecone and Amazon S3 Vectors metadata filters; `docs/filters.md` is the full reference.
 *
 * Shape:
 * - A filter is an object. Its keys are attribute names and the logical operators `$and`, `$or`,
 *   `$not`; several keys are ANDed. The empty object `{}` at the top level matches every row (an
 *   empty object anywhere else is an error).
 * - `{ attr: value }` is `{ attr: { $eq: value } }`. `{ attr: { op: v, op2: v2 } }` ANDs the operators.
 * - Attribute operators: `$eq $ne $gt $gte $lt $lte $in $nin $exists`. Range operators
 *   (`$gt $gte $lt $lte`) only apply to `number` / `integer` attributes. `$eq $ne` take one value,
 *   `$in $nin` a non-empty array of values, of the attribute's type: a finite number for
 *   `number` and `integer` (a fractional value is allowed on an `integer`; it simply never equals
 *   one), a string for `category`, a boolean for `boolean`. `$exists` takes true or false.
 * - `$and` / `$or` take a non-empty array of filter objects; `$not` takes one filter object.
 *
 * Semantics (missing = the row has no value for the attribute):
 * - `$eq $gt $gte $lt $lte $in` never match a missing value; `$ne $nin` always do.
 * - `$exists: true` matches rows with a value, `$exists: false` rows without.
 * - `$not` is the logical negation of the sub-filter's exact result, so `{ $not: { a: { $eq: 1 } } }`
 *   matches rows where `a` is missing (the same rows as `{ a: { $ne: 1 } }`).
 *
 * Limits: nesting at most `MAX_FILTER_DEPTH` (8) filter objects deep (the top level is depth 1;
 * each `$and`/`$or` element and each `$not` adds one); at most `MAX_FILTER_TERMS` (256) terms,
 * counting every operator once, implicit `$eq` included (`$in` counts once however many values).
 *
 * @throws InvalidFilterError with the JSON path of the first offending term.
 */
export function parseFilter(json: unknown, schema: AttributeSchema): FilterAst {
  const parser = new FilterParser(validateAttributeSchema(schema));
  if (isPlainObject(json) && Object.keys(json).length === 0) return { kind: 'all' };
  return parser.filterObject(json, ROOT_PATH, 1);
}

class FilterParser {
  private terms = 0;

  constructor(private readonly schema: AttributeSchema) {}

  filterObject(json: unknown, path: string, depth: number): FilterAst {
    if (!isPlainObject(json)) {
      throw new InvalidFilterError(path, `a filter must be an object, got ${describeJson(json)}`);
    }
    if (depth > MAX_FILTER_DEPTH) {
      throw new InvalidFilterError(
        path,
        `filter is nested ${depth} levels deep; at most ${MAX_FILTER_DEPTH} allowed`,
      );
    }
    const keys = Object.keys(json);
    if (keys.length === 0) {
      throw new InvalidFilterError(path, 'empty filter object; give at least one attribute or $and/$or/$not');
    }
    const terms: FilterAst[] = [];
    for (const key of keys) {
      const keyPath = childPath(path, key);
      const value = json[key];
      if (key.startsWith('$')) terms.push(this.logical(key, value, keyPath, depth));
      else terms.push(...this.attributeCondition(key, value, keyPath));
    }
    return terms.length === 1 ? terms[0]! : { kind: 'and', children: terms };
  }

  private logical(operator: string, value: unknown, path: string, depth: number): FilterAst {
    if (operator === '$not') {
      this.countTerm(path);
      return { kind: 'not', child: this.filterObject(value, path, depth + 1) };
    }
    if (operator !== '$and' && operator !== '$or') {
      const hint = ATTRIBUTE_OPERATORS.includes(operator)
        ? `${operator} must be applied to an attribute, as in { "price": { "${operator}": ... } }`
        : `unknown operator "${operator}"`;
      throw new InvalidFilterError(
        path,
        `${hint}; allowed at this level: attribute names, ${LOGICAL_OPERATORS.join(', ')}`,
      );
    }
    this.countTerm(path);
    if (!Array.isArray(value)) {
      throw new InvalidFilterError(
        path,
        `${operator} takes an array of filter objects, got ${describeJson(value)}`,
      );
    }
    if (value.length === 0)
      throw new InvalidFilterError(path, `${operator} needs at least one filter object`);
    const children = value.map((child, i) => this.filterObject(child, indexPath(path, i), depth + 1));
    return { kind: operator === '$and' ? 'and' : 'or', children };
  }

  private attributeCondition(attribute: string, value: unknown, path: string): FilterAst[] {
    const spec = ownValue(this.schema, attribute) as { type: AttributeType } | undefined;
    if (spec === undefined) {
      const known = Object.keys(this.schema);
      throw new InvalidFilterError(
        path,
        `unknown attribute ${quote(attribute)}; the schema has ${known.length === 0 ? 'no attributes' : known.slice(0, 20).join(', ')}${known.length > 20 ? ', ...' : ''}`,
      );
    }
    if (!isPlainObject(value)) {
      this.countTerm(path);
      return [
        {
          kind: 'compare',
          attribute,
          operator: '$eq',
          value: this.scalar(value, spec.type, attribute, path),
        },
      ];
    }
    const operators = Object.keys(value);
    if (operators.length === 0) {
      throw new InvalidFilterError(
        path,
        `empty operator object; allowed operators: ${ATTRIBUTE_OPERATORS.join(', ')}`,
      );
    }
    return operators.map((operator) =>
      this.attributeOperator(attribute, spec.type, operator, value[operator], childPath(path, operator)),
    );
  }

  private attributeOperator(
    attribute: string,
    type: AttributeType,
    operator: string,
    operand: unknown,
    path: string,
  ): FilterAst {
    if (!ATTRIBUTE_OPERATORS.includes(operator)) {
      const hint = LOGICAL_OPERATORS.includes(operator)
        ? `${operator} is a logical operator and goes outside the attribute, as in { "${operator}": ... }`
        : `unknown operator "${operator}"`;
      throw new InvalidFilterError(
        path,
        `${hint}; allowed on an attribute: ${ATTRIBUTE_OPERATORS.join(', ')}`,
      );
    }
    this.countTerm(path);
    if (operator === '$exists') {
      if (typeof operand !== 'boolean') {
        throw new InvalidFilterError(path, `$exists takes true or false, got ${describeJson(operand)}`);
      }
      return { kind: 'exists', attribute, exists: operand };
    }
    if (operator === '$in' || operator === '$nin') {
      if (!Array.isArray(operand)) {
        throw new InvalidFilterError(
          path,
          `${operator} takes an array of values, got ${describeJson(operand)}`,
        );
      }
      if (operand.length === 0) throw new InvalidFilterError(path, `${operator} needs at least one value`);
      const values = operand.map((v, i) => this.scalar(v, type, attribute, indexPath(path, i)));
      return { kind: 'set', attribute, operator, values };
    }
    if ((RANGE_OPERATORS as readonly string[]).includes(operator) && !isNumericType(type)) {
      throw new InvalidFilterError(
        path,
        `${operator} only applies to number and integer attributes; "${attribute}" is ${article(type)} attribute, which allows $eq, $ne, $in, $nin, $exists`,
      );
    }
    const value = this.scalar(operand, type, attribute, path);
    return { kind: 'compare', attribute, operator: operator as ComparisonOperator, value };
  }

  private scalar(value: unknown, type: AttributeType, attribute: string, path: string): ScalarValue {
    if (isNumericType(type)) {
      if (typeof value === 'number') {
        if (!Number.isFinite(value)) {
          throw new InvalidFilterError(path, `${value} is not allowed; "${attribute}" needs a finite number`);
        }
        return value;
      }
    } else if (type === 'category' ? typeof value === 'string' : typeof value === 'boolean') {
      return value as string | boolean;
    }
    const expected = isNumericType(type)
      ? 'a finite number'
      : type === 'category'
        ? 'a string'
        : 'true or false';
    const hint =
      value === null
        ? ' (to match rows without a value use { "$exists": false })'
        : Array.isArray(value)
          ? ' (to match any of several values use { "$in": [...] })'
          : '';
    throw new InvalidFilterError(
      path,
      `"${attribute}" is ${article(type)} attribute and needs ${expected}, got ${describeJson(value)}${hint}`,
    );
  }

  private countTerm(path: string): void {
    this.terms++;
    if (this.terms > MAX_FILTER_TERMS) {
      throw new InvalidFilterError(path, `filter has more than ${MAX_FILTER_TERMS} terms`);
    }
  }
}

function article(type: AttributeType): string {
  return type === 'integer' ? 'an integer' : `a ${type}`;
}
