import { describe, expect, it } from 'vitest';
import { exitError, responseTooLargeError, timeoutError } from '../src/function-error.ts';
import { describeThrown } from '../src/worker-support.mjs';

describe('describeThrown', () => {
  it('reports an Error by name, message and stack lines', () => {
    const error = new RangeError('k must be positive');
    const described = describeThrown(error);
    expect(described.errorType).toBe('RangeError');
    expect(described.errorMessage).toBe('k must be positive');
    expect(described.trace).toEqual(error.stack?.split('\n'));
  });

  it('reports a non-Error value by its typeof and string form', () => {
    expect(describeThrown(42)).toEqual({ errorType: 'number', errorMessage: '42', trace: [] });
    expect(describeThrown(undefined)).toEqual({
      errorType: 'undefined',
      errorMessage: 'undefined',
      trace: [],
    });
  });
});

describe('sandbox errors', () => {
  it('words a timeout with two decimals of seconds', () => {
    expect(timeoutError(1_500)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: 'Task timed out after 1.50 seconds',
      trace: [],
    });
  });

  it('words exits the way the AWS runtime API does', () => {
    expect(exitError(2, null).errorMessage).toBe('Runtime exited with error: exit status 2');
    expect(exitError(null, 'SIGKILL').errorMessage).toBe('Runtime exited with error: signal: killed');
    expect(exitError(null, 'SIGUSR2').errorMessage).toBe('Runtime exited with error: signal: SIGUSR2');
  });

  it('names the response limit in Function.ResponseSizeTooLarge', () => {
    expect(responseTooLargeError(6_291_556).errorMessage).toBe(
      'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
    );
  });
});
