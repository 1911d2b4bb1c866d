import { API_ROUTES } from '@squash/contracts';
import { describe, expect, it } from 'vitest';
import { OPENAPI_DOCUMENT } from '../src/openapi.ts';

describe('OpenAPI document', () => {
  it('describes exactly the routes of the route table', () => {
    const documented = Object.entries(OPENAPI_DOCUMENT.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });
});
