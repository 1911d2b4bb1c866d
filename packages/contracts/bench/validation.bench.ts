/**
 * Validation speed of a query body with a 784-number vector (MNIST's dim): TypeBox's compiled
 * check (what the service uses), zod 4, and the hand-written validator the schemas replaced (its
 * structural checks, copied below). Run: node --import tsx packages/contracts/bench/validation.bench.ts
 * Results: docs/benchmarks.md ("Request validation").
 */
import { z } from 'zod';
import { bodyProblem, compiledCheck, INCLUDE_VALUES, MAX_TOP_K, QueryRequestSchema } from '../src/index.ts';

const DIM = 784;
let seed = 7;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const body = JSON.parse(
  JSON.stringify({
    vector: Array.from({ length: DIM }, () => Math.round(random() * 255)),
    topK: 10,
    filter: { label: { $in: [3, 5] } },
    include: ['attributes'],
  }),
) as unknown;

const zodQuery = z.strictObject({
  vector: z.array(z.number()),
  topK: z.number().int().min(1).max(MAX_TOP_K).optional(),
  filter: z.union([z.record(z.string(), z.unknown()), z.null()]).optional(),
  include: z.array(z.enum(INCLUDE_VALUES)).optional(),
});

/** The structural checks of the hand-written validator (validate-query.ts before the schemas). */
const QUERY_FIELDS = new Set(['vector', 'topK', 'filter', 'include']);
function handValidate(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('body');
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) if (!QUERY_FIELDS.has(key)) throw new Error(`unknown ${key}`);
  const vector = record.vector;
  if (!Array.isArray(vector)) throw new Error('vector');
  for (let j = 0; j < vector.length; j++) {
    const v = vector[j];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`vector[${j}]`);
  }
  const topK = record.topK === undefined ? 10 : record.topK;
  if (typeof topK !== 'number' || !Number.isInteger(topK) || topK < 1 || topK > MAX_TOP_K)
    throw new Error('topK');
  const include = record.include === undefined ? [] : record.include;
  if (!Array.isArray(include) || include.some((v) => v !== 'attributes')) throw new Error('include');
  return true;
}

const check = compiledCheck(QueryRequestSchema);
const cases: Array<[string, () => boolean]> = [
  ['TypeBox TypeCompiler Check', () => check.Check(body)],
  ['TypeBox via bodyProblem (the service path)', () => bodyProblem(QueryRequestSchema, body) === undefined],
  ['zod 4 safeParse', () => zodQuery.safeParse(body).success],
  ['hand-written validator (before)', () => handValidate(body)],
];

function opsPerSecond(run: () => boolean, seconds: number): number {
  let ops = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) if (!run()) throw new Error('a valid body failed validation');
    ops += 100;
  }
  return ops / seconds;
}

console.log(`node ${process.version}, query body with a ${DIM}-number vector`);
for (const [name, run] of cases) {
  opsPerSecond(run, 0.3); // warm-up: let the JIT settle
  const rates = [1, 2, 3].map(() => opsPerSecond(run, 1));
  const median = rates.sort((a, b) => a - b)[1]!;
  console.log(`${name.padEnd(44)} ${Math.round(median).toLocaleString('en-US').padStart(12)} ops/s`);
}
