import { Tracer } from '@aws-lambda-powertools/tracer';
import { createLogger } from '@squash/query-service';
import xray from 'aws-xray-sdk-core';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogs, lambdaContext } from '../test/capture-logs.ts';
import { instrumentInvocation } from './invocation.ts';

const disabledTracer = () => new Tracer({ serviceName: 'squash-test', enabled: false });

// Powertools reports a cold start only in an on-demand execution environment, which Lambda (and
// the local runtime) announce with this variable; it is read when a Logger or Tracer is created.
process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';

describe('instrumentInvocation: logs', () => {
  it('adds the Lambda context and the tree request id to every line of the invocation, cold start first', async () => {
    const logger = createLogger('squash-test', 'info');
    const telemetry = { logger, tracer: disabledTracer() };
    const invoke = (awsRequestId: string, requestId: string) =>
      instrumentInvocation(
        telemetry,
        lambdaContext('squash-processor-0', awsRequestId),
        { requestId },
        async () => {
          logger.info('inside');
          return 7;
        },
      );
    const { result, lines } = await captureLogs(async () => {
      const first = await invoke('aws-1', 'tree-1');
      await invoke('aws-2', 'tree-2');
      logger.info('between invocations');
      return first;
    });
    expect(result).toBe(7);
    expect(lines.map((l) => l.message)).toEqual(['inside', 'inside', 'between invocations']);
    expect(lines[0]).toMatchObject({
      service: 'squash-test',
      function_name: 'squash-processor-0',
      function_request_id: 'aws-1',
      function_arn: 'arn:aws:lambda:eu-west-1:123456789012:function:squash-processor-0',
      function_memory_size: '1024',
      cold_start: true,
      requestId: 'tree-1',
    });
    expect(lines[1]).toMatchObject({ function_request_id: 'aws-2', cold_start: false, requestId: 'tree-2' });
    // A warm instance never logs a finished request's tree id.
    expect(lines[2]).not.toHaveProperty('requestId');
  });

  it('carries the tree request id without a Lambda context and removes it when the invocation throws', async () => {
    const logger = createLogger('squash-test', 'info');
    const telemetry = { logger, tracer: disabledTracer() };
    const { lines } = await captureLogs(async () => {
      await expect(
        instrumentInvocation(telemetry, undefined, { requestId: 'tree-3' }, async () => {
          logger.warn('failing');
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      logger.info('after');
    });
    expect(lines[0]).toMatchObject({ message: 'failing', requestId: 'tree-3' });
    expect(lines[0]).not.toHaveProperty('function_request_id');
    expect(lines[1]).not.toHaveProperty('requestId');
  });
});

describe('instrumentInvocation: traces', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  /** A Tracer that is on (as under Lambda) and a facade segment active for `run`. */
  function underFacade<T>(run: (tracer: Tracer, facade: xray.Segment) => Promise<T>): Promise<T> {
    process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs22.x';
    process.env._HANDLER = 'index.handler';
    const tracer = new Tracer({ serviceName: 'squash-fanout', captureHTTPsRequests: false });
    expect(tracer.isTracingEnabled()).toBe(true);
    const facade = new xray.Segment('squash-fanout');
    return xray.getNamespace().runAndReturn(() => {
      tracer.setSegment(facade);
      return run(tracer, facade);
    });
  }

  it('records one closed, annotated subsegment per invocation and restores the facade segment', async () => {
    const logger = createLogger('squash-test', 'error');
    await underFacade(async (tracer, facade) => {
      const seen = await instrumentInvocation(
        { logger, tracer },
        undefined,
        { requestId: 'tree-9', annotations: { index: 'mnist', depth: 1, units: 3 } },
        async () => tracer.getSegment()?.name,
      );
      expect(seen).toBe('## index.handler');
      expect(tracer.getSegment()).toBe(facade);
      // end_time and annotations are fields of the segment document, not of the SDK's typings.
      const [subsegment, ...others] = (facade.subsegments ?? []) as unknown as Array<{
        name: string;
        end_time?: number;
        annotations?: Record<string, unknown>;
      }>;
      expect(others).toEqual([]);
      expect(subsegment?.name).toBe('## index.handler');
      expect(subsegment?.end_time).toBeGreaterThan(0);
      expect(subsegment?.annotations).toEqual({
        ColdStart: true,
        Service: 'squash-fanout',
        requestId: 'tree-9',
        index: 'mnist',
        depth: 1,
        units: 3,
      });
    });
  });

  it('records an error thrown by the invocation on its subsegment and rethrows it', async () => {
    const logger = createLogger('squash-test', 'error');
    await underFacade(async (tracer, facade) => {
      await expect(
        instrumentInvocation({ logger, tracer }, undefined, { requestId: 'tree-10' }, async () => {
          throw new Error('index corrupt');
        }),
      ).rejects.toThrow('index corrupt');
      const subsegment = facade.subsegments?.[0] as unknown as {
        fault?: boolean;
        error?: boolean;
        cause?: unknown;
      };
      expect(subsegment.fault || subsegment.error).toBe(true);
      expect(JSON.stringify(subsegment.cause)).toContain('index corrupt');
      expect(tracer.getSegment()).toBe(facade);
    });
  });
});
