import { matchPath } from '@squash/contracts';
import type { ApiGatewayV2Event } from '@squash/query-service';
import type { TraceAnnotations } from '../telemetry/index.ts';

/**
 * The coordinator's trace annotations for one HTTP request: `route`, the id of the API route it
 * matches (`query`, `queryBatch`, ...; `unmatched` when none, which the router answers with 404),
 * and `index` when the path names one. Route ids rather than raw paths keep the annotation's
 * values few, so traces can be grouped by them.
 */
export function routeAnnotations(event: ApiGatewayV2Event): TraceAnnotations {
  const method = event.requestContext?.http?.method?.toUpperCase();
  const match = matchPath(event.rawPath);
  const route = match?.routes.find((r) => r.method === method);
  const index = match?.params.index;
  return { route: route?.id ?? 'unmatched', ...(index === undefined ? {} : { index }) };
}
