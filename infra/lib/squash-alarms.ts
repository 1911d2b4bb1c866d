import { COORDINATOR_SERVICE, METRIC_NAMES, METRICS_NAMESPACE } from '@squash/contracts';
import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface SquashAlarmsProps {
  readonly httpApi: apigw.HttpApi | undefined;
  readonly coordinator: lambda.IFunction;
  readonly processors: readonly lambda.IFunction[];
  readonly compactor: lambda.IFunction;
  /** Index names served (one incomplete-answer alarm each). */
  readonly indexNames: readonly string[];
  /** Where alarms notify (alarm and OK). @default none: alarms without actions */
  readonly topic?: sns.ITopic;
}

/** Five minutes, summed: one evaluation period per alarm. */
const PERIOD = Duration.minutes(5);

/**
 * The alarms an operator of squash wants, each over five minutes:
 *
 * - `ServerErrors`: the HTTP API answered any 5xx (the coordinator's 500s and 503
 *   `NO_PARTITION_REACHABLE`; API Gateway's own integration failures).
 * - `IncompleteAnswers-<index>`: any answer with `complete: false` (the coordinator's EMF metric,
 *   `missingPartitions` and `faults` say which and why).
 * - `Throttles`: the coordinator or any processor was throttled by Lambda (concurrency limits).
 * - `ProcessorErrors`: any processor invocation failed (crash, timeout, out of memory).
 * - `CompactorErrors`: any compactor invocation failed (a compaction or one of its partition
 *   tasks: timeout, out of memory, a store error, or `PRECONDITION_FAILED` when two compactions
 *   of one index raced and this one lost). Queries stay correct while compactions fail, but the
 *   tail they scan keeps growing; the log line `compaction failed` says which index and why.
 *
 * Thresholds are "more than zero": a search service that drops partitions or throttles should
 * page someone; raise them per deployment if that is too eager.
 */
export class SquashAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: SquashAlarmsProps) {
    super(scope, id);
    if (props.httpApi !== undefined) {
      this.add(
        'ServerErrors',
        props.httpApi.metricServerError({ period: PERIOD, statistic: 'Sum' }),
        'the HTTP API answered 5xx',
        props.topic,
      );
    }
    for (const index of props.indexNames) {
      const incomplete = new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: METRIC_NAMES.incompleteAnswers,
        dimensionsMap: { service: COORDINATOR_SERVICE, index },
        statistic: 'Sum',
        period: PERIOD,
      });
      this.add(
        `IncompleteAnswers-${index}`,
        incomplete,
        `index "${index}" answered with complete: false`,
        props.topic,
      );
    }
    const functions = [props.coordinator, ...props.processors];
    this.add(
      'Throttles',
      sumOf(functions, (fn) => fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }), 'throttles'),
      'Lambda throttled the coordinator or a processor',
      props.topic,
    );
    if (props.processors.length > 0) {
      this.add(
        'ProcessorErrors',
        sumOf(props.processors, (fn) => fn.metricErrors({ period: PERIOD, statistic: 'Sum' }), 'errors'),
        'a processor invocation failed',
        props.topic,
      );
    }
    this.add(
      'CompactorErrors',
      props.compactor.metricErrors({ period: PERIOD, statistic: 'Sum' }),
      'a compactor invocation failed',
      props.topic,
    );
  }

  private add(
    id: string,
    metric: cloudwatch.IMetric,
    description: string,
    topic: sns.ITopic | undefined,
  ): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `squash: ${description}`,
    });
    if (topic !== undefined) {
      alarm.addAlarmAction(new actions.SnsAction(topic));
      alarm.addOkAction(new actions.SnsAction(topic));
    }
    this.alarms.push(alarm);
  }
}

/** The sum of one metric over several functions, as a metric-math expression. */
function sumOf(
  functions: readonly lambda.IFunction[],
  metricOf: (fn: lambda.IFunction) => cloudwatch.Metric,
  label: string,
): cloudwatch.IMetric {
  const usingMetrics = Object.fromEntries(functions.map((fn, i) => [`m${i}`, metricOf(fn)]));
  return new cloudwatch.MathExpression({
    expression: Object.keys(usingMetrics).join(' + '),
    usingMetrics,
    label,
    period: PERIOD,
  });
}
