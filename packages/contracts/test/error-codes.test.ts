import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_ERROR_CODES, HTTP_STATUS_BY_CODE } from '../src/index.ts';

describe('error codes', () => {
  it('are each documented in docs/http-api.md with their status', () => {
    const doc = readFileSync(new URL('../../../docs/http-api.md', import.meta.url), 'utf8');
    const documented = new Map(
      [...doc.matchAll(/^\| (\d{3}) \| `([A-Z_]+)` \|/gm)].map((m) => [m[2]!, Number(m[1])] as const),
    );
    for (const code of API_ERROR_CODES)
      expect([code, documented.get(code)]).toEqual([code, HTTP_STATUS_BY_CODE[code]]);
    expect([...documented.keys()].sort()).toEqual([...API_ERROR_CODES].sort());
  });
});
