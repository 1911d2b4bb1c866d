import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SquashFunction } from '../lib/squash-function.ts';
import { roleStatements, summarise } from './support/iam.ts';
import { logicalId, synth } from './support/synth.ts';

/** Every `SquashFunction` of a synthesised stack (coordinator, fan-out, processors, compactor, authorizer). */
function squashFunctions(stack: ReturnType<typeof synth>['stack']): SquashFunction[] {
  return stack.node.findAll().filter((c): c is SquashFunction => c instanceof SquashFunction);
}

describe('X-Ray tracing', () => {
  const variants = [
    { name: 'IAM auth', props: { partitions: 3, auth: 'iam' as const } },
    { name: 'API-key authorizer', props: { partitions: 2, auth: 'lambda' as const } },
    { name: 'provisioned concurrency', props: { partitions: 2, provisionedConcurrency: 1 } },
  ];

  for (const { name, props } of variants) {
    it(`turns on active tracing for every squash function (${name})`, () => {
      const { stack, template } = synth(props);
      const functions = squashFunctions(stack);
      // coordinator + fan-out + compactor + one processor per partition (+ the authorizer)
      expect(functions.length).toBe(3 + props.partitions + (props.auth === 'lambda' ? 1 : 0));
      const active = template.findResources('AWS::Lambda::Function', {
        Properties: { TracingConfig: { Mode: 'Active' } },
      });
      for (const fn of functions) expect(Object.keys(active)).toContain(logicalId(fn.function));
    });

    it(`lets every squash function's role upload trace segments (${name})`, () => {
      const { stack, json } = synth(props);
      for (const fn of squashFunctions(stack)) {
        const statements = summarise(roleStatements(json, logicalId(fn.function.role!)));
        expect(statements, fn.node.path).toContain('xray:PutTelemetryRecords,xray:PutTraceSegments -> *');
      }
    });
  }

  it('grants the shared processor role the X-Ray actions once, not once per processor', () => {
    const { template } = synth({ partitions: 4 });
    const xray = Match.objectLike({
      Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
      Resource: '*',
    });
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { PolicyDocument: { Statement: Match.arrayWith([xray]) } },
    });
    const processorPolicies = Object.entries(policies).filter(([id]) => id.startsWith('ProcessorRole'));
    expect(processorPolicies).toHaveLength(1);
    const statements = (
      processorPolicies[0]![1] as { Properties: { PolicyDocument: { Statement: unknown[] } } }
    ).Properties.PolicyDocument.Statement;
    expect(statements.filter((s) => JSON.stringify(s).includes('xray:'))).toHaveLength(1);
  });
});
