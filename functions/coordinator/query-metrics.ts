import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { COORDINATOR_SERVICE, METRIC_NAMES as M, METRICS_NAMESPACE } from '@squash/contracts';
import type { QueryRecord } from '@squash/query-service';

export { METRICS_NAMESPACE };

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
  metrics.addMetric(M.queries, MetricUnit.Count, record.queries);
  metrics.addMetric(M.latencyMs, MetricUnit.Milliseconds, record.usage.latencyMs);
  metrics.addMetric(M.partitions, MetricUnit.Count, record.usage.partitions);
  metrics.addMetric(M.invocations, MetricUnit.Count, record.usage.invocations);
  metrics.addMetric(M.coldStarts, MetricUnit.Count, record.usage.coldStarts);
  metrics.addMetric(M.bytesRead, MetricUnit.Bytes, record.usage.bytesRead);
  metrics.addMetric(M.incompleteAnswers, MetricUnit.Count, record.incomplete);
  for (const [reason, count] of Object.entries(record.faultsByReason)) {
    metrics.addMetric(`${M.missingPartitionsPrefix}${reason}`, MetricUnit.Count, count);
  }
  metrics.publishStoredMetrics();
}

/** The coordinator's `Metrics` instance. */
export function coordinatorMetrics(): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName: COORDINATOR_SERVICE });
}
