import { describe, expect, it } from 'vitest';
import { choiceFlag, integerFlag, parseFlags, stringListFlag, UsageError } from '../src/args.ts';

const FLAGS = {
  k: { type: 'string' },
  tag: { type: 'string', multiple: true },
  verify: { type: 'boolean' },
} as const;

describe('parseFlags', () => {
  it('parses string, repeatable and boolean flags and positionals', () => {
    const parsed = parseFlags(['--k', '5', 'uri', '--tag', 'a', '--tag=b', '--verify'], FLAGS, {
      positionals: ['uri'],
    });
    expect(parsed.values.k).toBe('5');
    expect(stringListFlag(parsed, 'tag')).toEqual(['a', 'b']);
    expect(parsed.values.verify).toBe(true);
    expect(parsed.positionals).toEqual(['uri']);
  });

  it('turns parseArgs errors into usage errors that name the flag', () => {
    expect(() => parseFlags(['--kk', '1'], FLAGS)).toThrow(
      new UsageError('unknown flag --kk; allowed: --k, --tag, --verify, --help'),
    );
    expect(() => parseFlags(['--k'], FLAGS)).toThrow(/^--k needs a value/);
    expect(() => parseFlags(['--verify=no'], FLAGS)).toThrow(/^--verify takes no value$/);
    expect(() => parseFlags(['-x'], FLAGS)).toThrow(/^unknown flag -x/);
  });

  it('rejects a non-repeatable flag given twice, but not a repeatable one', () => {
    expect(() => parseFlags(['--k', '1', '--k=2'], FLAGS)).toThrow(/^--k is given more than once/);
    expect(() => parseFlags(['--tag', '1', '--tag', '2'], FLAGS)).not.toThrow();
  });

  it('rejects surplus positionals', () => {
    expect(() => parseFlags(['a'], FLAGS)).toThrow(/unexpected argument "a"; this command takes only flags/);
    expect(() => parseFlags(['a', 'b'], FLAGS, { positionals: ['uri'] })).toThrow(/expected only <uri>/);
  });
});

describe('integerFlag and choiceFlag', () => {
  const parse = (argv: string[]) => parseFlags(argv, FLAGS);

  it('accepts decimal integers within range and nothing else', () => {
    expect(integerFlag(parse(['--k', '42']), 'k', { min: 1, max: 100 })).toBe(42);
    expect(integerFlag(parse([]), 'k', { min: 1, max: 100 })).toBeUndefined();
    for (const bad of ['4.2', '1e1', '0x10', '', ' ', '101', '0', 'NaN']) {
      expect(() => integerFlag(parse([`--k=${bad}`]), 'k', { min: 1, max: 100 })).toThrow(
        `--k is ${JSON.stringify(bad)}; allowed: an integer from 1 to 100`,
      );
    }
  });

  it('accepts one of the choices', () => {
    expect(choiceFlag(parse(['--k', 'ip']), 'k', ['l2', 'ip'])).toBe('ip');
    expect(() => choiceFlag(parse(['--k', 'L2']), 'k', ['l2', 'ip'])).toThrow('--k is "L2"; allowed: l2, ip');
  });
});
