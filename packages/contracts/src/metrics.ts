/**
 * Names of the CloudWatch metrics the coordinator publishes (Embedded Metric Format, one line per
 * answered request) and the CDK construct alarms on: shared constants, so the two cannot drift.
 */
export const METRICS_NAMESPACE = 'squash';

/** The `service` dimension of the coordinator's metrics (beside `index`). */
export const COORDINATOR_SERVICE = 'squash-coordinator';

export const METRIC_NAMES = {
  queries: 'Queries',
  latencyMs: 'LatencyMs',
  partitions: 'Partitions',
  invocations: 'Invocations',
  coldStarts: 'ColdStarts',
  bytesRead: 'BytesRead',
  incompleteAnswers: 'IncompleteAnswers',
  /** Prefix of `MissingPartitions_<REASON>` (one metric per fault reason). */
  missingPartitionsPrefix: 'MissingPartitions_',
} as const;
