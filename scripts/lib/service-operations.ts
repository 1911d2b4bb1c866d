import { OPENAPI_DOCUMENT } from '@squash/query-service';
import type { ServiceOperation } from '@squash/testkit';

/**
 * The HTTP operations the coordinator's router serves, to compare with the deployed routes.
 *
 * Interim source until the route table lands in `@squash/contracts`: the router's own OpenAPI
 * document (every documented operation), plus `GET /openapi.json`, which the router serves but
 * the document does not describe about itself.
 */
export function serviceOperations(): ServiceOperation[] {
  const operations: ServiceOperation[] = [{ method: 'GET', path: '/openapi.json' }];
  for (const [path, item] of Object.entries(OPENAPI_DOCUMENT.paths as Record<string, object>)) {
    for (const method of Object.keys(item)) operations.push({ method: method.toUpperCase(), path });
  }
  return operations;
}
