import { API_ROUTES, FAULT_REASONS } from '@squash/contracts';
import { describe, expect, it } from 'vitest';
import { OPENAPI_DOCUMENT } from '../src/openapi.ts';

describe('OpenAPI document', () => {
  it('describes exactly the routes of the route table', () => {
    const documented = Object.entries(OPENAPI_DOCUMENT.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('resolves every schema reference and lists every fault reason', () => {
    const text = JSON.stringify(OPENAPI_DOCUMENT);
    const refs = [...text.matchAll(/"\$ref":"#\/components\/schemas\/([A-Za-z]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect([ref, ref in OPENAPI_DOCUMENT.components.schemas]).toEqual([ref, true]);
    expect(OPENAPI_DOCUMENT.components.schemas.PartitionFault.properties.reason.enum).toEqual([
      ...FAULT_REASONS,
    ]);
  });
});
