import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AttributeSchema,
  type AttributeType,
  buildAttributeColumns,
  quantizeAttributes,
} from '../src/attributes/index.ts';
import { getBit, popcount, setBitIndices } from '../src/bitmap/index.ts';
import { compileFilter, evaluateExact, matchExact, parseFilter } from '../src/filter/index.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

type Row = Record<string, number | string | boolean | undefined>;
type Filter = Record<string, unknown>;

/**
 * Reference semantics written straight from docs/filters.md, on the raw JSON filter and row
 * objects, sharing no code with the library.
 */
function referenceMatch(filter: Filter, row: Row): boolean {
  return Object.entries(filter).every(([key, operand]) => {
    if (key === '$and') return (operand as Filter[]).every((f) => referenceMatch(f, row));
    if (key === '$or') return (operand as Filter[]).some((f) => referenceMatch(f, row));
    if (key === '$not') return !referenceMatch(operand as Filter, row);
    const value = row[key];
    const operators =
      typeof operand === 'object' && operand !== null && !Array.isArray(operand)
        ? (operand as Record<string, unknown>)
        : { $eq: operand };
    return Object.entries(operators).every(([op, arg]) => referenceOperator(op, arg, value));
  });
}

function referenceOperator(op: string, arg: unknown, value: number | string | boolean | undefined): boolean {
  const present = value !== undefined;
  const a = arg as number;
  switch (op) {
    case '$eq':
      return present && value === arg;
    case '$ne':
      return !present || value !== arg;
    case '$gt':
      return present && (value as number) > a;
    case '$gte':
      return present && (value as number) >= a;
    case '$lt':
      return present && (value as number) < a;
    case '$lte':
      return present && (value as number) <= a;
    case '$in':
      return present && (arg as unknown[]).includes(value);
    case '$nin':
      return !present || !(arg as unknown[]).includes(value);
    case '$exists':
      return present === arg;
    default:
      throw new Error(`reference: unknown operator ${op}`);
  }
}

interface Scenario {
  schema: AttributeSchema;
  rows: Row[];
  filter: Filter;
  pools: Map<string, Array<number | string | boolean>>;
}

const TYPES: readonly AttributeType[] = ['number', 'integer', 'category', 'boolean'];

/** A random schema, rows with missing values and a filter over them, all from one seed. */
function scenario(seed: number, options: { types?: readonly AttributeType[] } = {}): Scenario {
  const random = new SeededRandom(seed);
  const types = options.types ?? TYPES;
  const attributeCount = 1 + random.nextInt(4);
  const schema: Record<string, { type: AttributeType }> = {};
  const pools = new Map<string, Array<number | string | boolean>>();
  for (let a = 0; a < attributeCount; a++) {
    const type = types[random.nextInt(types.length)]!;
    schema[`a${a}`] = { type };
    pools.set(`a${a}`, valuePool(type, random));
  }
  const rowCount = random.nextInt(400);
  const missingRate = random.nextFloat() * 0.5;
  const rows = Array.from({ length: rowCount }, () => {
    const row: Row = {};
    for (const [name, pool] of pools) {
      if (random.nextFloat() >= missingRate) row[name] = pool[random.nextInt(pool.length)];
    }
    return row;
  });
  const filter = randomFilter(random, schema, pools, 1);
  return { schema, rows, filter, pools };
}

/** Values an attribute draws from: small pools give ties and equality hits, large ones force Lloyd cells. */
function valuePool(type: AttributeType, random: SeededRandom): Array<number | string | boolean> {
  const size = [2, 5, 40, 600][random.nextInt(4)]!;
  switch (type) {
    case 'boolean':
      return [true, false];
    case 'category':
      return Array.from({ length: Math.min(size, 30) }, (_, i) => `c${i}`);
    case 'integer':
      return Array.from({ length: size }, () => random.nextInt(2 * size) - size);
    case 'number':
      return Array.from({ length: size }, () => Math.round(random.nextGaussian() * 1000) / 10);
  }
}

function randomFilter(
  random: SeededRandom,
  schema: AttributeSchema,
  pools: Map<string, Array<number | string | boolean>>,
  depth: number,
): Filter {
  const filter: Filter = {};
  const keyCount = 1 + random.nextInt(2);
  for (let k = 0; k < keyCount; k++) {
    const r = random.nextFloat();
    if (depth < 4 && r < 0.15) filter.$not = randomFilter(random, schema, pools, depth + 1);
    else if (depth < 4 && r < 0.35) {
      const op = random.nextFloat() < 0.5 ? '$and' : '$or';
      filter[op] = Array.from({ length: 1 + random.nextInt(3) }, () =>
        randomFilter(random, schema, pools, depth + 1),
      );
    } else {
      const names = Object.keys(schema);
      const name = names[random.nextInt(names.length)]!;
      filter[name] = randomCondition(random, schema[name]!.type, pools.get(name)!);
    }
  }
  return filter;
}

function randomCondition(
  random: SeededRandom,
  type: AttributeType,
  pool: Array<number | string | boolean>,
): unknown {
  const numeric = type === 'number' || type === 'integer';
  const pick = (): number | string | boolean => {
    if (random.nextFloat() < 0.7) return pool[random.nextInt(pool.length)]!;
    if (type === 'category') return `absent${random.nextInt(3)}`;
    if (type === 'boolean') return random.nextFloat() < 0.5;
    return type === 'integer' && random.nextFloat() < 0.5
      ? random.nextInt(200) - 100 + 0.5
      : random.nextGaussian() * 100;
  };
  const operators = numeric
    ? ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists']
    : ['$eq', '$ne', '$in', '$nin', '$exists'];
  if (random.nextFloat() < 0.15) return pick();
  const condition: Record<string, unknown> = {};
  for (let k = 1 + random.nextInt(2); k > 0; k--) {
    const op = operators[random.nextInt(operators.length)]!;
    if (op === '$exists') condition[op] = random.nextFloat() < 0.5;
    else if (op === '$in' || op === '$nin')
      condition[op] = Array.from({ length: 1 + random.nextInt(4) }, pick);
    else condition[op] = pick();
  }
  return condition;
}

function ids(bits: Uint32Array): number[] {
  return Array.from(setBitIndices(bits));
}

// core is typed without DOM or Node globals; the timing test needs these two.
const { console, performance } = globalThis as unknown as {
  console: { info(message: string): void };
  performance: { now(): number };
};

const PROPERTY_RUNS = { seed: 0x5eed, numRuns: 400 };

describe('compiled filters', () => {
  it('agree with a reference evaluator on exact values, per row and vectorised', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const { schema, rows, filter } = scenario(seed);
        const ast = parseFilter(filter, schema);
        const columns = buildAttributeColumns(rows, schema);
        const expected = rows.flatMap((row, i) => (referenceMatch(filter, row) ? [i] : []));
        expect(ids(matchExact(ast, columns))).toEqual(expected);
        expect(rows.flatMap((_, i) => (evaluateExact(ast, columns, i) ? [i] : []))).toEqual(expected);
      }),
      PROPERTY_RUNS,
    );
  });

  it('return a superset of the exact matches whose exact recheck is the exact matches', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 12 }),
        (seed, maxCells) => {
          const { schema, rows, filter } = scenario(seed);
          const ast = parseFilter(filter, schema);
          const columns = buildAttributeColumns(rows, schema);
          const compiled = compileFilter(ast, quantizeAttributes(columns, { maxCells }));
          const exact = matchExact(ast, columns);
          const candidates = compiled.candidates();
          const sure = compiled.sureMatches();
          for (let i = 0; i < rows.length; i++) {
            if (getBit(exact, i) && !getBit(candidates, i))
              throw new Error(`row ${i} matches but is no candidate`);
            if (getBit(sure, i) && !getBit(exact, i))
              throw new Error(`row ${i} is a sure match but does not match`);
          }
          const candidateIds = setBitIndices(candidates);
          const rechecked = setBitIndices(matchExact(ast, columns, candidateIds), candidateIds);
          expect(Array.from(rechecked)).toEqual(ids(exact));
          expect(compiled.countCandidates()).toBe(popcount(candidates));
          if (!compiled.needsRecheck) expect(ids(candidates)).toEqual(ids(exact));
        },
      ),
      PROPERTY_RUNS,
    );
  });

  it('answer for rowIds exactly as for the same rows of the full table', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const { schema, rows, filter } = scenario(seed);
        const ast = parseFilter(filter, schema);
        const columns = buildAttributeColumns(rows, schema);
        const compiled = compileFilter(ast, quantizeAttributes(columns, { maxCells: 4 }));
        const random = new SeededRandom(seed ^ 0x9e3779b9);
        const rowIds = Uint32Array.from({ length: random.nextInt(rows.length + 1) }, () =>
          random.nextInt(rows.length),
        );
        const all = compiled.candidates();
        const selected = compiled.candidates(rowIds);
        const allSure = compiled.sureMatches();
        const selectedSure = compiled.sureMatches(rowIds);
        const allExact = matchExact(ast, columns);
        const selectedExact = matchExact(ast, columns, rowIds);
        rowIds.forEach((row, i) => {
          expect(getBit(selected, i)).toBe(getBit(all, row));
          expect(getBit(selectedSure, i)).toBe(getBit(allSure, row));
          expect(getBit(selectedExact, i)).toBe(getBit(allExact, row));
        });
      }),
      { ...PROPERTY_RUNS, numRuns: 150 },
    );
  });

  it('are exact at the code level on integer attributes with few distinct values', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const { schema, rows, filter } = scenario(seed, { types: ['integer', 'category', 'boolean'] });
        const ast = parseFilter(filter, schema);
        const columns = buildAttributeColumns(rows, schema);
        // Pools have at most 600 values drawn from 1200; 255 cells cover pools of up to 40.
        const fewDistinct = [...columns.columns.values()].every(
          (c) =>
            c.type !== 'integer' || new Set(Array.from(c.values).filter((v) => !Number.isNaN(v))).size <= 255,
        );
        fc.pre(fewDistinct);
        const compiled = compileFilter(ast, quantizeAttributes(columns));
        expect(compiled.needsRecheck).toBe(false);
        expect(ids(compiled.candidates())).toEqual(ids(matchExact(ast, columns)));
        expect(ids(compiled.sureMatches())).toEqual(ids(matchExact(ast, columns)));
      }),
      PROPERTY_RUNS,
    );
  });

  it('keep rows of a partly matching cell under $not', () => {
    // 1000 distinct prices in 4 cells: the bound 500.5 falls inside a cell.
    const rows = Array.from({ length: 1000 }, (_, i) => ({ price: i }));
    const schema: AttributeSchema = { price: { type: 'number' } };
    const columns = buildAttributeColumns(rows, schema);
    const quantized = quantizeAttributes(columns, { maxCells: 4 });
    const ast = parseFilter({ $not: { price: { $gt: 500.5 } } }, schema);
    const compiled = compileFilter(ast, quantized);
    expect(compiled.needsRecheck).toBe(true);
    const candidates = ids(compiled.candidates());
    const sure = ids(compiled.sureMatches());
    for (let price = 0; price <= 500; price++) expect(candidates).toContain(price);
    expect(candidates.length).toBeLessThan(1000);
    expect(sure.length).toBeLessThan(501);
    expect(sure.every((price) => price <= 500)).toBe(true);
  });

  it('filter a 200 000-row table on codes in a bounded time', () => {
    const random = new SeededRandom(11);
    const rows = Array.from({ length: 200_000 }, () => ({
      price: random.nextFloat() < 0.05 ? undefined : Math.exp(random.nextGaussian()) * 50,
      stock: random.nextInt(20),
      color: `c${random.nextInt(12)}`,
    }));
    const schema: AttributeSchema = {
      price: { type: 'number' },
      stock: { type: 'integer' },
      color: { type: 'category' },
    };
    const columns = buildAttributeColumns(rows, schema);
    const quantized = quantizeAttributes(columns);
    const ast = parseFilter(
      { price: { $gte: 20, $lt: 80 }, $not: { color: { $in: ['c1', 'c2'] } }, stock: { $gt: 3 } },
      schema,
    );
    const compiled = compileFilter(ast, quantized);
    const started = performance.now();
    const candidates = compiled.candidates();
    const elapsedMs = performance.now() - started;
    const exact = popcount(matchExact(ast, columns));
    const candidateCount = popcount(candidates);
    console.info(
      `200k rows, 5 terms: candidates in ${elapsedMs.toFixed(1)} ms; ${candidateCount} candidates for ${exact} exact matches`,
    );
    expect(candidateCount).toBeGreaterThanOrEqual(exact);
    expect(candidateCount).toBeLessThan(exact * 1.02);
    expect(elapsedMs).toBeLessThan(2000);
  });
});
