import { render, resourcesOfType, type TemplateJson } from './synth.ts';

/** A policy statement with actions and resources as sorted, rendered string arrays. */
export interface Statement {
  readonly effect: string;
  readonly actions: string[];
  readonly resources: string[];
  readonly condition?: unknown;
  /** Logical id of the policy it came from. */
  readonly source: string;
}

function normalise(raw: Record<string, unknown>, source: string): Statement {
  const list = (v: unknown) => [v ?? []].flat().map(render).sort();
  return {
    effect: String(raw.Effect),
    actions: list(raw.Action),
    resources: list(raw.Resource),
    ...(raw.Condition === undefined ? {} : { condition: raw.Condition }),
    source,
  };
}

function statementsOf(document: unknown, source: string): Statement[] {
  const statements = (document as { Statement?: unknown[] } | undefined)?.Statement ?? [];
  return statements.map((s) => normalise(s as Record<string, unknown>, source));
}

function attachedTo(roles: unknown, roleId: string): boolean {
  return [roles ?? []].flat().some((r) => render(r) === `<${roleId}>`);
}

/**
 * Every statement granted to a role: its inline policies, `AWS::IAM::Policy` and
 * `AWS::IAM::ManagedPolicy` resources attached to it. Fails on AWS managed policies (those
 * cannot be inspected here, and the stack must not use them).
 */
export function roleStatements(json: TemplateJson, roleId: string): Statement[] {
  const role = json.Resources[roleId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleId} is not a role`);
  const managedArns = (role.Properties?.ManagedPolicyArns as unknown[] | undefined) ?? [];
  const statements: Statement[] = [];
  for (const arn of managedArns) {
    const id = /^<([A-Za-z0-9]+)>$/.exec(render(arn))?.[1];
    const managed = id === undefined ? undefined : json.Resources[id];
    if (managed?.Type !== 'AWS::IAM::ManagedPolicy')
      throw new Error(`${roleId} has AWS managed policy ${render(arn)}`);
    statements.push(...statementsOf(managed.Properties?.PolicyDocument, id!));
  }
  for (const p of (role.Properties?.Policies as Array<{ PolicyDocument: unknown }> | undefined) ?? []) {
    statements.push(...statementsOf(p.PolicyDocument, roleId));
  }
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const [id, policy] of resourcesOfType(json, type)) {
      if (attachedTo(policy.Properties?.Roles, roleId))
        statements.push(...statementsOf(policy.Properties?.PolicyDocument, id));
    }
  }
  return statements;
}

/** Every identity-policy statement in the template (policies and managed policies). */
export function allIdentityStatements(json: TemplateJson): Statement[] {
  return ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].flatMap((type) =>
    resourcesOfType(json, type).flatMap(([id, p]) => statementsOf(p.Properties?.PolicyDocument, id)),
  );
}

/** Statements as `"action1,action2 -> resource1 | resource2"` lines, sorted: easy to compare exactly. */
export function summarise(statements: readonly Statement[]): string[] {
  return statements.map((s) => `${s.actions.join(',')} -> ${s.resources.join(' | ')}`).sort();
}
