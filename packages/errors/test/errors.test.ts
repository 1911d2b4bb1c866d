import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, quote, SquashError } from '../src/index.ts';

describe('SquashError', () => {
  it('keeps its code, the subclass name and the cause', () => {
    const cause = new Error('below');
    const error = new SquashError('SOME_CODE', 'what went wrong', { cause });
    expect(error.code).toBe('SOME_CODE');
    expect(error.name).toBe('SquashError');
    expect(error.cause).toBe(cause);
    const argument = new InvalidArgumentError('topK', 'topK is 0');
    expect(argument).toBeInstanceOf(SquashError);
    expect([argument.code, argument.name, argument.argument]).toEqual([
      'INVALID_ARGUMENT',
      'InvalidArgumentError',
      'topK',
    ]);
  });
});

describe('quote', () => {
  it('renders short values as JSON', () => {
    expect(quote('mnist')).toBe('"mnist"');
    expect(quote(12)).toBe('12');
    expect(quote(undefined)).toBe('undefined');
  });

  it('cuts long values to the bound and says how much was left out', () => {
    const quoted = quote('x'.repeat(4_000_000));
    expect(quoted.length).toBeLessThan(140);
    expect(quoted).toMatch(/^"x{79}\.\.\. \(3999922 more characters\)$/);
  });
});
