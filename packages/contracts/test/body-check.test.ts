import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { bodyProblem, describeAllowed, describeValue, matchesSchema } from '../src/index.ts';

describe('bodyProblem', () => {
  const schema = Type.Object(
    {
      name: Type.String(),
      size: Type.Optional(Type.Integer({ minimum: 0 })),
      tags: Type.Optional(Type.Array(Type.Boolean(), { maxItems: 2 })),
    },
    { additionalProperties: false },
  );

  it('returns undefined for a valid body, and matchesSchema agrees', () => {
    expect(bodyProblem(schema, { name: 'a', size: 0, tags: [true] })).toBeUndefined();
    expect(matchesSchema(schema, { name: 'a' })).toBe(true);
    expect(matchesSchema(schema, { name: 1 })).toBe(false);
  });

  it('names nested values by path under the given root', () => {
    expect(bodyProblem(schema, { name: 'a', tags: [true, 'no'] }, 'rows[2]')).toBe(
      'rows[2].tags[1] is the string "no"; allowed: true or false',
    );
    expect(bodyProblem(schema, { name: 'a', size: -1 })).toBe('size is -1; allowed: an integer >= 0');
    expect(bodyProblem(schema, { name: 'a', tags: [true, true, true] })).toBe(
      'tags is an array of 3 entries; allowed: an array of at most 2 booleans',
    );
  });

  it('unescapes field names and bounds the ones it echoes', () => {
    expect(bodyProblem(schema, { name: 'a', 'x/y~z': 1 })).toBe(
      'unknown field "x/y~z"; allowed: name, size, tags',
    );
    const huge = 'k'.repeat(1_000_000);
    const message = bodyProblem(schema, { name: 'a', [huge]: 1 })!;
    expect(message.startsWith('unknown field "kkk')).toBe(true);
    expect(message.length).toBeLessThan(300);
  });
});

describe('describeValue and describeAllowed', () => {
  it('describe values by kind, bounding strings', () => {
    expect([undefined, null, 3, false, [], [1], {}].map(describeValue)).toEqual([
      'missing',
      'null',
      '3',
      'false',
      'an array of 0 entries',
      'an array of 1 entry',
      'a JSON object',
    ]);
    expect(describeValue('x'.repeat(100))).toMatch(/^the string "x+\.\.\. \(62 more characters\)$/);
  });

  it('describe what a schema allows, singular and plural', () => {
    expect(describeAllowed(Type.Number({ minimum: 0, maximum: 1 }), false)).toBe('a finite number 0..1');
    expect(describeAllowed(Type.Array(Type.String(), { minItems: 1 }), false)).toBe(
      'an array of at least 1 strings',
    );
    expect(describeAllowed(Type.Object({ a: Type.Null(), b: Type.Null() }), true)).toBe(
      'JSON objects with "a", "b" fields',
    );
  });
});
