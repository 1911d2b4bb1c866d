import type { Static, TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { type ValueError, ValueErrorType } from '@sinclair/typebox/errors';
import { problemMessage } from './problem-message.ts';

const checks = new WeakMap<TSchema, TypeCheck<TSchema>>();

/**
 * The schema's compiled check, compiled on first use and kept: TypeBox's TypeCompiler turns the
 * schema into one JavaScript function (docs/benchmarks.md measures it on a 784-number query),
 * so a valid body costs one call and no allocation; errors are enumerated only on failure.
 */
export function compiledCheck<T extends TSchema>(schema: T): TypeCheck<T> {
  let check = checks.get(schema);
  if (check === undefined) {
    check = TypeCompiler.Compile(schema);
    checks.set(schema, check);
  }
  return check as TypeCheck<T>;
}

/** Whether `body` has the schema's shape (a type guard over the schema's static type). */
export function matchesSchema<T extends TSchema>(schema: T, body: unknown): body is Static<T> {
  return compiledCheck(schema).Check(body);
}

/**
 * What is wrong with `body` under `schema`, as one message (see `problemMessage`), or undefined
 * when it is valid. `root` names the body in messages (`queries[3]`); empty means fields are
 * named from the top (`topK`). When an object both lacks a required field and has an unknown
 * one, the unknown field is reported: it is usually the misspelling of the missing one (`topk`).
 */
export function bodyProblem(schema: TSchema, body: unknown, root = ''): string | undefined {
  const check = compiledCheck(schema);
  if (check.Check(body)) return undefined;
  const errors = check.Errors(body);
  const first = errors.First();
  if (first === undefined) return `${root || 'body'} does not match the schema`;
  return problemMessage(preferUnknownField(first, errors), body, root);
}

function preferUnknownField(first: ValueError, rest: Iterable<ValueError>): ValueError {
  if (first.type !== ValueErrorType.ObjectRequiredProperty) return first;
  const parent = parentOf(first.path);
  for (const error of rest) {
    if (error.type === ValueErrorType.ObjectAdditionalProperties && parentOf(error.path) === parent)
      return error;
    // TypeBox reports an object's missing fields, then its unknown fields, then descends; past the
    // unknown fields there is nothing better to find.
    if (error.type !== ValueErrorType.ObjectRequiredProperty) break;
  }
  return first;
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}
