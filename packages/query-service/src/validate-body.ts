import { bodyProblem, type Static, type TSchema } from '@squash/contracts';
import { RequestError } from './request-error.ts';

/**
 * Checks a request body against its route's schema (`ROUTE_SCHEMAS[route].body`) and returns it
 * typed, or throws `INVALID_REQUEST` naming the first problem in the caller's terms (`topK is
 * null; allowed: an integer 1..1000, or leave it out for 10`). Structure only: checks that depend
 * on the index (vector length, filter, attribute types) come after, with their own codes.
 * `path` names the body in messages (`queries[3]`); empty names fields from the top.
 */
export function validateBody<T extends TSchema>(schema: T, body: unknown, path = ''): Static<T> {
  const problem = bodyProblem(schema, body, path);
  if (problem !== undefined) throw new RequestError('INVALID_REQUEST', problem);
  return body as Static<T>;
}
