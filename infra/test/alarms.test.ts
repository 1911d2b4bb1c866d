import { COORDINATOR_SERVICE, METRIC_NAMES, METRICS_NAMESPACE } from '@squash/contracts';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { SquashVectorSearch } from '../lib/squash-vector-search.ts';
import { logicalId, synth } from './support/synth.ts';

type Alarm = { Properties: Record<string, unknown> };

const alarmsOf = (template: Template) =>
  Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Alarm[];
const describing = (alarms: Alarm[], text: string) =>
  alarms.filter((a) => String(a.Properties.AlarmDescription).includes(text));

describe('alarms', () => {
  it('watch HTTP 5xx, incomplete answers per index, throttles, processor and compactor errors, above zero', () => {
    const { template, stack } = synth({ indexNames: ['mnist', 'docs'], partitions: 3 });
    const alarms = alarmsOf(template);
    expect(alarms).toHaveLength(6);
    for (const alarm of alarms) {
      expect(alarm.Properties).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    }
    expect(describing(alarms, '5xx')[0]!.Properties).toMatchObject({
      MetricName: '5xx',
      Namespace: 'AWS/ApiGateway',
    });
    const incomplete = describing(alarms, 'complete: false');
    expect(incomplete.map((a) => a.Properties.Dimensions)).toEqual([
      [
        { Name: 'index', Value: 'mnist' },
        { Name: 'service', Value: COORDINATOR_SERVICE },
      ],
      [
        { Name: 'index', Value: 'docs' },
        { Name: 'service', Value: COORDINATOR_SERVICE },
      ],
    ]);
    expect(incomplete[0]!.Properties).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      MetricName: METRIC_NAMES.incompleteAnswers,
    });
    const processorErrors = describing(alarms, 'processor invocation failed')[0]!.Properties
      .Metrics as Array<{
      Expression?: string;
      MetricStat?: { Metric: { MetricName: string } };
    }>;
    expect(processorErrors.find((m) => m.Expression !== undefined)?.Expression).toBe('m0 + m1 + m2');
    expect(processorErrors.filter((m) => m.MetricStat?.Metric.MetricName === 'Errors')).toHaveLength(3);
    const compactorErrors = describing(alarms, 'compactor invocation failed');
    expect(compactorErrors).toHaveLength(1);
    expect(compactorErrors[0]!.Properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Period: 300,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(stack.search.compactor.function) } }],
    });
  });

  it('keep one incomplete-answer alarm per named index, and none without names', () => {
    const named = describing(alarmsOf(synth({ indexNames: ['a', 'b', 'c'] }).template), 'complete: false');
    expect(named).toHaveLength(3);
    expect(describing(alarmsOf(synth().template), 'complete: false')).toHaveLength(0);
  });

  it('notify the alarm topic on alarm and on OK', () => {
    const app = new App();
    const stack = new Stack(app, 'Ops');
    const topic = new sns.Topic(stack, 'Pager');
    new SquashVectorSearch(stack, 'Search', { bundling: 'skip', indexNames: ['mnist'], alarmTopic: topic });
    const alarms = alarmsOf(Template.fromStack(stack));
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
      expect(alarm.Properties.OKActions).toHaveLength(1);
    }
  });
});
