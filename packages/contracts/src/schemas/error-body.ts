import { Type } from '@sinclair/typebox';
import { API_ERROR_CODES, type ApiErrorCode } from '../errors.ts';

/**
 * The body of every error answer: `{ error: { code, message } }`, plus `requestId` on 5xx. The
 * codes are `ApiErrorCode` (statuses in `HTTP_STATUS_BY_CODE`); `errorBodySchema(codes)` narrows
 * them to what one route answers with one status, as the OpenAPI document lists them.
 */
export function errorBodySchema(codes: readonly ApiErrorCode[] = API_ERROR_CODES) {
  return Type.Object(
    {
      error: Type.Object(
        {
          code: Type.Union(codes.map((code) => Type.Literal(code))),
          message: Type.String({
            description: 'for people: what was wrong, the value received, what is allowed',
          }),
          requestId: Type.Optional(Type.String({ description: 'on 5xx: quote it when reporting the error' })),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false, description: 'an error' },
  );
}

export const ErrorBodySchema = errorBodySchema();
