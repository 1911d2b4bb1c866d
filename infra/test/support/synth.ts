import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { SquashStack } from '../../lib/squash-stack.ts';
import type { SquashStackProps } from '../../lib/squash-stack-props.ts';

/** A CloudFormation template as plain JSON. */
export interface TemplateJson {
  readonly Resources: Record<string, CfnResourceJson>;
  readonly Outputs?: Record<string, { Value: unknown }>;
}

export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface Synthesised {
  readonly stack: SquashStack;
  readonly template: Template;
  readonly json: TemplateJson;
}

/**
 * Synthesises a `SquashStack` for assertions. Bundling defaults to `'skip'` (placeholder code, no
 * handler files needed) and CDK's built-in CloudFormation validation is off (it costs seconds per
 * stack; one test in squash-stack.test.ts runs it explicitly).
 */
export function synth(props: SquashStackProps = {}, options: { validate?: boolean } = {}): Synthesised {
  const app = new App({
    builtinCloudFormationValidation: options.validate === true,
    ...(options.validate === true ? { context: { '@aws-cdk/core:validateAgainstDefaultRules': true } } : {}),
  });
  const stack = new SquashStack(app, 'Test', { bundling: 'skip', ...props });
  const template = Template.fromStack(stack);
  return { stack, template, json: template.toJSON() as TemplateJson };
}

/** Logical id of a construct's CloudFormation resource (its default child for L2 constructs). */
export function logicalId(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return element.stack.getLogicalId(element);
}

/** `[logicalId, resource]` pairs of one type. */
export function resourcesOfType(json: TemplateJson, type: string): Array<[string, CfnResourceJson]> {
  return Object.entries(json.Resources).filter(([, r]) => r.Type === type);
}

/**
 * Renders intrinsic functions as readable placeholders so values built from tokens can be
 * compared as text: `{"Ref":"X"}` -> `<X>`, `{"Fn::GetAtt":["X","Arn"]}` -> `<X.Arn>`,
 * `Fn::Join` -> the joined parts, `{"Ref":"AWS::Partition"}` -> `<AWS::Partition>`.
 */
export function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value !== null && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.Ref === 'string') return `<${v.Ref}>`;
    if (Array.isArray(v['Fn::GetAtt'])) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
    if (Array.isArray(v['Fn::Join'])) {
      const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(separator);
    }
  }
  return JSON.stringify(value);
}

/** The logical ids of other resources a resource refers to (Ref, GetAtt, Sub, DependsOn). */
export function referencesOf(resource: CfnResourceJson, ids: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      if (key === 'Ref' && typeof child === 'string' && ids.has(child)) found.add(child);
      else if (key === 'Fn::GetAtt' && Array.isArray(child) && ids.has(child[0])) found.add(child[0]);
      else if (key === 'Fn::Sub') {
        const text = Array.isArray(child) ? child[0] : child;
        for (const m of String(text).matchAll(/\$\{([A-Za-z0-9]+)(\.[A-Za-z]+)?\}/g)) {
          if (ids.has(m[1]!)) found.add(m[1]!);
        }
        visit(child);
      } else visit(child);
    }
  };
  visit(resource.Properties);
  for (const dep of [resource.DependsOn ?? []].flat()) found.add(dep);
  return found;
}

/** A resource cycle as a list of logical ids, or `undefined` when the template is acyclic. */
export function findCycle(json: TemplateJson): string[] | undefined {
  const ids = new Set(Object.keys(json.Resources));
  const edges = new Map([...ids].map((id) => [id, referencesOf(json.Resources[id]!, ids)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const dfs = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const next of edges.get(id) ?? []) {
      const cycle = dfs(next);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of ids) {
    const cycle = dfs(id);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}
