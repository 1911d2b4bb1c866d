import { API_ROUTES } from '@squash/contracts';
import { routeDifferences, routesFromTemplate, type TemplateRoute } from '@squash/testkit';
import { App } from 'aws-cdk-lib';
import { SquashStack } from '../../infra/lib/squash-stack.ts';
import type { SquashAuth } from '../../infra/lib/squash-vector-search-props.ts';

/**
 * The routes the stack would give its HTTP API with `auth`, read from a template synthesised in
 * this process (bundling skipped). For emulators that cannot create the HTTP API (LocalStack's
 * free edition, where the stack is deployed with `httpApi=false`), so the bridge still serves the
 * routes the real API would have rather than a hand-kept list. Like the moto run, it refuses
 * routes that differ from the contracts' route table.
 *
 * @throws Error listing the differences between the stack's routes and `API_ROUTES`.
 */
export function stackRoutes(auth: SquashAuth): TemplateRoute[] {
  const app = new App();
  const stack = new SquashStack(app, 'RoutesOnly', { auth, bundling: 'skip', partitions: 1 });
  const routes = routesFromTemplate(app.synth().getStackByName(stack.stackName).template);
  const differences = routeDifferences(routes, API_ROUTES);
  if (differences.length > 0) {
    throw new Error(`the stack's routes and the route table differ:\n  ${differences.join('\n  ')}`);
  }
  return routes;
}
