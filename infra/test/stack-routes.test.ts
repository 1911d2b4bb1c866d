import { gatewayRouteKeys } from '@squash/contracts';
import { describe, expect, it } from 'vitest';
import { stackRoutes } from '../../scripts/lib/stack-routes.ts';

describe('stackRoutes (the LocalStack bridge without API Gateway v2)', () => {
  it('gives the routes the stack would create, $default included, with the requested authorization', () => {
    const open = stackRoutes('none');
    expect(open.map((r) => r.routeKey).sort()).toEqual([...gatewayRouteKeys(), '$default'].sort());
    expect(new Set(open.map((r) => r.authorizationType))).toEqual(new Set(['NONE']));
    expect(new Set(stackRoutes('iam').map((r) => r.authorizationType))).toEqual(new Set(['AWS_IAM']));
  });

  it('integrates every route with one function, the coordinator', () => {
    expect(new Set(stackRoutes('none').map((r) => r.functionLogicalId)).size).toBe(1);
  });
});
