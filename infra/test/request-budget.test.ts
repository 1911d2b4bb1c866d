import { ENV, FUNCTION_SETTINGS } from '@squash/contracts';
import { describe, expect, it } from 'vitest';
import {
  COLD_START_ALLOWANCE_MS,
  HTTP_API_INTEGRATION_LIMIT_MS,
  resolveRequestBudget,
} from '../lib/request-budget.ts';
import type { SquashStackProps } from '../lib/squash-stack-props.ts';
import { configError } from './support/config-error.ts';
import { roleStatements, summarise } from './support/iam.ts';
import { logicalId, render, type Synthesised, synth } from './support/synth.ts';

type Kind = 'coordinator' | 'fanout' | 'processor';

/** Timeout (s) and rendered environment of every function of a synthesised stack, by kind. */
function functionsOf(s: Synthesised): Array<{ kind: Kind; timeout: number; env: Record<string, string> }> {
  const all: Array<[Kind, { function: unknown }]> = [
    ['coordinator', s.stack.search.coordinator],
    ['fanout', s.stack.search.fanout],
    ...s.stack.search.processors.map((p): [Kind, { function: unknown }] => ['processor', p]),
  ];
  return all.map(([kind, fn]) => {
    const props = s.json.Resources[logicalId(fn.function as never)]!.Properties!;
    const variables = (props.Environment as { Variables: Record<string, unknown> }).Variables;
    return {
      kind,
      timeout: props.Timeout as number,
      env: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, render(v)])),
    };
  });
}

describe('function timeouts derived from the request budget', () => {
  it('deploys 26 / 25 / 25 s and R, M, floor((R - M) / 2) on every function by default', () => {
    const s = synth({ partitions: 3 });
    const functions = functionsOf(s);
    expect(functions).toHaveLength(5);
    const r = FUNCTION_SETTINGS.requestTimeoutMs.default;
    const m = FUNCTION_SETTINGS.deadlineMarginMs.default;
    expect([r, m]).toEqual([25_000, 500]);
    for (const fn of functions) {
      expect(fn.timeout).toBe(fn.kind === 'coordinator' ? 26 : 25);
      expect(fn.env[ENV.requestTimeoutMs]).toBe('25000');
      expect(fn.env[ENV.deadlineMarginMs]).toBe('500');
      expect(fn.env[ENV.invokeTimeoutMs]).toBe('12250');
    }
  });

  it.each([
    [{ requestTimeoutMs: 20_000, deadlineMarginMs: 1000 }, 21, 20, 9500],
    [{ requestTimeoutMs: 20_001 }, 21, 21, 9750],
    [{ requestTimeoutMs: 10_000, deadlineMarginMs: 250, invokeTimeoutMs: 10_000 }, 11, 10, 10_000],
    [{ requestTimeoutMs: 27_499 }, 28, 28, 13_499],
    [{ requestTimeoutMs: 120_000, deadlineMarginMs: 2000, httpApi: false }, 122, 120, 59_000],
  ])(
    'derives coordinator / tree node and processor timeouts and the invoke timeout from %o',
    (props, coordinator, child, invokeMs) => {
      const functions = functionsOf(synth(props as SquashStackProps));
      for (const fn of functions) {
        expect(fn.timeout).toBe(fn.kind === 'coordinator' ? coordinator : child);
        expect(fn.env[ENV.requestTimeoutMs]).toBe(String(props.requestTimeoutMs));
        expect(fn.env[ENV.invokeTimeoutMs]).toBe(String(invokeMs));
      }
    },
  );

  it('nests the layers for any valid budget: coordinator >= R + M, children >= R, one attempt <= R', () => {
    for (const r of [2000, 9_999, 25_000, 27_499]) {
      for (const m of [10, 333, 500]) {
        const b = resolveRequestBudget({ requestTimeoutMs: r, deadlineMarginMs: m, httpApi: true });
        expect(b.coordinatorTimeoutSeconds * 1000).toBeGreaterThanOrEqual(r + m);
        expect(b.coordinatorTimeoutSeconds * 1000).toBeLessThan(r + m + 1000);
        expect(b.fanoutTimeoutSeconds * 1000).toBeGreaterThanOrEqual(r);
        expect(b.processorTimeoutSeconds).toBe(b.fanoutTimeoutSeconds);
        expect(b.invokeTimeoutMs).toBeLessThanOrEqual(r);
        // Room for a retry: the second attempt starts by (R - M) / 2 and gets as long as the first.
        expect(2 * b.invokeTimeoutMs + m).toBeLessThanOrEqual(r);
      }
    }
  });
});

describe('the API Gateway 30 s integration limit', () => {
  it('accepts R + M + the cold-start allowance just below 30 s and rejects it at 30 s, naming the largest R', () => {
    expect(HTTP_API_INTEGRATION_LIMIT_MS).toBe(30_000);
    const largest = HTTP_API_INTEGRATION_LIMIT_MS - COLD_START_ALLOWANCE_MS - 500 - 1;
    expect(functionsOf(synth({ requestTimeoutMs: largest }))[0]!.timeout).toBe(28);
    const error = configError(() => synth({ requestTimeoutMs: largest + 1 }));
    expect(error.field).toBe('requestTimeoutMs');
    expect(error.message).toBe(
      `requestTimeoutMs ${largest + 1} + deadlineMarginMs 500 + a ${COLD_START_ALLOWANCE_MS} ms coordinator cold-start allowance is 30000 ms; API Gateway HTTP APIs end an integration at 30000 ms, so it must stay below that: use requestTimeoutMs of at most ${largest}, or httpApi false`,
    );
    expect(configError(() => synth({ deadlineMarginMs: 3000 })).message).toMatch(
      /deadlineMarginMs 3000 .* at most 24999/,
    );
  });

  it('does not apply without the HTTP API, where Lambda allows the coordinator 900 s', () => {
    const coordinator = functionsOf(synth({ requestTimeoutMs: 600_000, httpApi: false }))[0]!;
    expect(coordinator).toMatchObject({ kind: 'coordinator', timeout: 601 });
    const error = configError(() =>
      resolveRequestBudget({ requestTimeoutMs: 890_000, deadlineMarginMs: 10_001, httpApi: false }),
    );
    expect(error.field).toBe('requestTimeoutMs');
    expect(error.message).toMatch(/is 900001 ms; .* at most 900 s/);
  });
});

describe('request budget props', () => {
  it.each<[SquashStackProps, string, RegExp]>([
    [
      { requestTimeoutMs: 499 },
      'requestTimeoutMs',
      /requestTimeoutMs is 499; expected an integer from 500 to 890000/,
    ],
    [{ requestTimeoutMs: 1000.5 }, 'requestTimeoutMs', /1000\.5/],
    [
      { deadlineMarginMs: 0 },
      'deadlineMarginMs',
      /deadlineMarginMs is 0; expected an integer from 10 to 60000/,
    ],
    [
      { requestTimeoutMs: 1999, deadlineMarginMs: 500 },
      'requestTimeoutMs',
      /requestTimeoutMs is 1999 with deadlineMarginMs 500; it must be at least 4 x deadlineMarginMs \(2000\)/,
    ],
    [
      { invokeTimeoutMs: 25_001 },
      'invokeTimeoutMs',
      /invokeTimeoutMs is 25001; expected an integer from 750 .* to requestTimeoutMs \(25000/,
    ],
    [{ invokeTimeoutMs: 749 }, 'invokeTimeoutMs', /invokeTimeoutMs is 749; expected an integer from 750/],
    [{ timeouts: { coordinatorSeconds: 20 } } as never, 'timeouts', /no longer a prop; .*requestTimeoutMs/],
  ])('rejects %o with INVALID_INFRA_CONFIG naming %s', (props, field, message) => {
    const error = configError(() => synth(props));
    expect(error.code).toBe('INVALID_INFRA_CONFIG');
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('accepts invokeTimeoutMs from 1.5 x M to R', () => {
    const at = (invokeTimeoutMs: number) =>
      resolveRequestBudget({ invokeTimeoutMs, httpApi: true }).invokeTimeoutMs;
    expect(at(750)).toBe(750);
    expect(at(25_000)).toBe(25_000);
  });
});

describe('store roots', () => {
  it('confines tree nodes and processors to s3://<bucket>/<indexPrefix>, the root the coordinator serves and the prefix the processors may read', () => {
    const s = synth({ partitions: 2, indexPrefix: 'team/indexes', indexNames: ['mnist', 'glove'] });
    const bucket = logicalId(s.stack.search.indexBucket.bucket);
    const root = `s3://<${bucket}>/team/indexes`;
    const [coordinator, ...children] = functionsOf(s);
    expect(coordinator!.env[ENV.storeRoots]).toBeUndefined();
    expect(children.map((c) => c.kind)).toEqual(['fanout', 'processor', 'processor']);
    for (const child of children) expect(JSON.parse(child.env[ENV.storeRoots]!)).toEqual([root]);
    // The coordinator sends tree nodes `<indexRoot>/<name>`: below the root they accept.
    expect(coordinator!.env[ENV.indexRoot]).toBe(root);
    expect(coordinator!.env[ENV.indexes]).toBeUndefined();
    const processorReads = summarise(
      roleStatements(s.json, logicalId(s.stack.search.processorRole)).filter((st) =>
        st.actions.some((a) => a.startsWith('s3:')),
      ),
    );
    expect(processorReads).toEqual([
      `s3:GetObject -> <${bucket}.Arn>/team/indexes/*`,
      `s3:ListBucket -> <${bucket}.Arn>`,
    ]);
    const list = roleStatements(s.json, logicalId(s.stack.search.processorRole)).find((st) =>
      st.actions.includes('s3:ListBucket'),
    );
    expect(list?.condition).toEqual({ StringLike: { 's3:prefix': ['team/indexes/*'] } });
  });
});
