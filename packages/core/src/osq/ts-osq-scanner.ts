import type { OsqScanner } from './osq-scanner.ts';
import type { OsqQueryTables } from './prepare-osq-query.ts';
import { assertBoundsTables, assertScanArguments, scanOsqImpl } from './scan-osq.ts';
import { assertSamePlan, type OsqScanPlan } from './scan-plan.ts';

/** The TypeScript reference behind `OsqScanner`. */
export class TsOsqScanner implements OsqScanner {
  readonly backend = 'ts' as const;

  constructor(
    private readonly plan: OsqScanPlan,
    private readonly codes: Uint8Array,
    readonly n: number,
  ) {}

  scan(
    tables: OsqQueryTables,
    rowIds: Uint32Array | null,
    outLower: Float32Array | null,
    outAdc: Float32Array | null,
    outUpper: Float32Array | null = null,
  ): void {
    assertSamePlan(this.plan, tables.plan);
    assertBoundsTables(tables, outLower, outUpper);
    const count = assertScanArguments(this.n, rowIds, outLower, outAdc, outUpper);
    scanOsqImpl(tables, this.codes, this.n, rowIds, count, outLower, outAdc, outUpper);
  }

  scanAdc(tables: OsqQueryTables, rowIds: Uint32Array | null, out: Float32Array): void {
    assertSamePlan(this.plan, tables.plan);
    const count = assertScanArguments(this.n, rowIds, null, out, null);
    scanAdcSegmentMajorImpl(tables, this.codes, this.n, rowIds, count, out);
  }
}

/** TypeScript reference of the segment-major ADC scan (see `OsqScanner.scanAdc`). */
export function scanAdcSegmentMajorImpl(
  tables: OsqQueryTables,
  codes: Uint8Array,
  n: number,
  rowIds: Uint32Array | null,
  count: number,
  out: Float32Array,
): void {
  const { plan, adc } = tables;
  out.fill(tables.adcConstant, 0, count);
  for (let s = 0; s < plan.bytesPerVector; s++) {
    const table = s << 8;
    const segment = s * n;
    if (rowIds === null) {
      for (let k = 0; k < count; k++) out[k] = out[k]! + adc[table | codes[segment + k]!]!;
    } else {
      for (let k = 0; k < count; k++) out[k] = out[k]! + adc[table | codes[segment + rowIds[k]!]!]!;
    }
  }
  const { straddlerSegments, straddlerHighMasks, straddlerLowBits, straddlerTableOffsets } = plan;
  for (let t = 0; t < plan.straddlerDims.length; t++) {
    const first = straddlerSegments[t]! * n;
    const low = straddlerLowBits[t]!;
    const mask = straddlerHighMasks[t]!;
    const offset = straddlerTableOffsets[t]!;
    for (let k = 0; k < count; k++) {
      const at = first + (rowIds === null ? k : rowIds[k]!);
      out[k] = out[k]! + adc[offset + (((codes[at]! & mask) << low) | (codes[at + n]! >>> (8 - low)))]!;
    }
  }
}
