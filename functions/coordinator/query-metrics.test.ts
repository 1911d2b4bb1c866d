import { describe, expect, it, vi } from 'vitest';
import { coordinatorMetrics, METRICS_NAMESPACE, publishQueryMetrics } from './query-metrics.ts';

describe('coordinator metrics', () => {
  it('publishes one EMF line per request with the usage, the index dimension and faults by reason', () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
    try {
      publishQueryMetrics(coordinatorMetrics(), {
        index: 'mnist',
        queries: 3,
        usage: { partitions: 4, invocations: 5, coldStarts: 1, bytesRead: 1000, latencyMs: 42 },
        incomplete: 1,
        faultsByReason: { TIMEOUT: 2 },
      });
    } finally {
      spy.mockRestore();
      log.mockRestore();
    }
    const emf = lines
      .map((l) => l.trim())
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    expect(emf).toHaveLength(1);
    const [line] = emf;
    const directive = line._aws.CloudWatchMetrics[0];
    expect(directive.Namespace).toBe(METRICS_NAMESPACE);
    expect(directive.Dimensions[0]).toContain('index');
    expect(line.index).toBe('mnist');
    expect(directive.Metrics.map((m: { Name: string }) => m.Name).sort()).toEqual(
      [
        'BytesRead',
        'ColdStarts',
        'IncompleteAnswers',
        'Invocations',
        'LatencyMs',
        'MissingPartitions_TIMEOUT',
        'Partitions',
        'Queries',
      ].sort(),
    );
    expect([line.Queries, line.LatencyMs, line.IncompleteAnswers, line.MissingPartitions_TIMEOUT]).toEqual([
      3, 42, 1, 2,
    ]);
  });
});
