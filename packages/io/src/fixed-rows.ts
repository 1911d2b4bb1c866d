/**
 * Shared body of the formats whose header declares the row count up front (IDX, npy): `n` rows
 * of exactly `rowBytes` bytes follow a header of `headerBytes`. The header is what a corrupted
 * file most often gets wrong, so both readers check it against the bytes actually present.
 */
import type { ByteReader } from './byte-reader.ts';
import { errorAtByte, plural } from './file-error.ts';
import type { MatrixBatch } from './matrix.ts';

export interface RowLayout {
  readonly headerBytes: number;
  readonly n: number;
  readonly dim: number;
  readonly rowBytes: number;
  /** What the header declared, for messages: `shape (10, 128) of <f4`. */
  readonly declared: string;
}

/** Checks a whole file's length against its header. */
export function checkDataLength(file: string, totalBytes: number, layout: RowLayout): void {
  const expected = layout.n * layout.rowBytes;
  const found = totalBytes - layout.headerBytes;
  if (found < expected) throw truncated(file, layout, found);
  if (found > expected) throw trailing(file, layout, found - expected);
}

/** Yields rows in batches, decoding each batch's bytes; checks truncation and trailing bytes. */
export async function* streamRows<T>(
  file: string,
  reader: ByteReader,
  layout: RowLayout,
  batchRows: number,
  decode: (bytes: Uint8Array, rows: number) => T,
): AsyncGenerator<MatrixBatch<T>, void, undefined> {
  let firstRow = 0;
  while (firstRow < layout.n) {
    const rows = Math.min(batchRows, layout.n - firstRow);
    const bytes = await reader.read(rows * layout.rowBytes);
    if (bytes.length < rows * layout.rowBytes) {
      throw truncated(file, layout, firstRow * layout.rowBytes + bytes.length);
    }
    yield { data: decode(bytes, rows), n: rows, dim: layout.dim, firstRow };
    firstRow += rows;
  }
  if (!(await reader.atEnd())) {
    const extra = (await reader.read(1 << 20)).length;
    throw trailing(file, layout, extra, extra === 1 << 20);
  }
}

function truncated(file: string, layout: RowLayout, foundBytes: number): Error {
  const expected = layout.n * layout.rowBytes;
  const completeRows = Math.floor(foundBytes / layout.rowBytes);
  return errorAtByte(
    file,
    layout.headerBytes + foundBytes,
    `data ends after ${plural(foundBytes, 'byte')} (${completeRows} complete rows); the header declares ` +
      `${layout.declared}, so expected ${expected} data bytes (${layout.n} rows of ${layout.rowBytes} bytes)`,
  );
}

function trailing(file: string, layout: RowLayout, extraBytes: number, atLeast = false): Error {
  return errorAtByte(
    file,
    layout.headerBytes + layout.n * layout.rowBytes,
    `${atLeast ? 'at least ' : ''}${plural(extraBytes, 'unexpected byte')} after the ${layout.n} rows the ` +
      `header declares (${layout.declared}); expected the file to end here`,
  );
}
