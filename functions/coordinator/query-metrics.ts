import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { QueryRecord } from '@squash/query-service';

/** CloudWatch namespace of every squash metric; the stack's alarms read from it. */
export const METRICS_NAMESPACE = 'squash';

/**
 * Publishes one answered request as CloudWatch metrics in the Embedded Metric Format (Powertools
 * Metrics writes one JSON line to stdout; Lambda ships it to CloudWatch Logs, which extracts the
 * metrics, so no PutMetricData call sits on the query path). Dimension `index`, so dashboards and
 * alarms can be per index. Locally the same line appears in `squash serve`'s log.
 *
 * | metric | unit | meaning |
 * |---|---|---|
 * | `Queries` | Count | queries answered (a batch counts each) |
 * | `LatencyMs` | Milliseconds | coordinator time for the request |
 * | `Partitions` | Count | partitions searched |
 * | `Invocations` | Count | tree nodes and processors invoked |
 * | `ColdStarts` | Count | processor cold starts among them |
 * | `BytesRead` | Bytes | codes, vectors and objects read |
 * | `IncompleteAnswers` | Count | queries answered with `complete: false` |
 * | `MissingPartitions_<REASON>` | Count | missing partitions by fault reason (`TIMEOUT`, ...) |
 */
export function publishQueryMetrics(metrics: Metrics, record: QueryRecord): void {
  metrics.addDimension('index', record.index);
  metrics.addMetric('Queries', MetricUnit.Count, record.queries);
  metrics.addMetric('LatencyMs', MetricUnit.Milliseconds, record.usage.latencyMs);
  metrics.addMetric('Partitions', MetricUnit.Count, record.usage.partitions);
  metrics.addMetric('Invocations', MetricUnit.Count, record.usage.invocations);
  metrics.addMetric('ColdStarts', MetricUnit.Count, record.usage.coldStarts);
  metrics.addMetric('BytesRead', MetricUnit.Bytes, record.usage.bytesRead);
  metrics.addMetric('IncompleteAnswers', MetricUnit.Count, record.incomplete);
  for (const [reason, count] of Object.entries(record.faultsByReason)) {
    metrics.addMetric(`MissingPartitions_${reason}`, MetricUnit.Count, count);
  }
  metrics.publishStoredMetrics();
}

/** The coordinator's `Metrics` instance. */
export function coordinatorMetrics(): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'squash-coordinator' });
}
