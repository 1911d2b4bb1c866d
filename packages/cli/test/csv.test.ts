import { describe, expect, it } from 'vitest';
import { csvAttributeRows, parseCsv } from '../src/index.ts';

const fields = (text: string): string[][] => parseCsv('t.csv', text).map((r) => r.fields);

describe('parseCsv', () => {
  it('splits plain fields and records, with or without a final line break', () => {
    expect(fields('a,b\n1,2\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(fields('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('keeps commas, line breaks and doubled quotes inside quoted fields', () => {
    expect(fields('name,note\n"Smith, J","said ""hi""\nthen left"\n')).toEqual([
      ['name', 'note'],
      ['Smith, J', 'said "hi"\nthen left'],
    ]);
  });

  it('accepts CRLF line endings and a byte-order mark', () => {
    expect(fields('\ufeffa,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('keeps empty fields, including a trailing one and a quoted empty one', () => {
    expect(fields('a,b,c\n,"",\n')).toEqual([
      ['a', 'b', 'c'],
      ['', '', ''],
    ]);
  });

  it('records the line each record starts on, counting line breaks inside quotes', () => {
    const records = parseCsv('t.csv', 'a\n"x\ny"\nz\n');
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('rejects an unterminated quote, naming the line it opened on', () => {
    expect(() => parseCsv('t.csv', 'a\n1\n"open\nstill open')).toThrow(
      /^t.csv at line 3: a quoted field is never closed/,
    );
  });

  it('rejects text after a closing quote', () => {
    expect(() => parseCsv('t.csv', 'a\n"x"y\n')).toThrow(
      /t.csv at line 2: unexpected "y" after a closing quote/,
    );
  });
});

describe('csvAttributeRows', () => {
  it('infers numeric, boolean and category columns and omits empty fields', () => {
    const rows = csvAttributeRows(
      't.csv',
      'price,active,colour\n1.5,true,red\n,FALSE,"blue, dark"\n-2e3,true,7\n',
    );
    expect(rows).toEqual([
      { price: 1.5, active: true, colour: 'red' },
      { active: false, colour: 'blue, dark' },
      { price: -2000, active: true, colour: '7' },
    ]);
  });

  it('follows declared types: a category column of digits stays strings', () => {
    const rows = csvAttributeRows('t.csv', 'zip\n02134\n10001\n', { zip: { type: 'category' } });
    expect(rows).toEqual([{ zip: '02134' }, { zip: '10001' }]);
  });

  it('rejects a value that does not fit its declared type, naming line and column', () => {
    expect(() => csvAttributeRows('t.csv', 'n\n1\nabc\n', { n: { type: 'integer' } })).toThrow(
      /t.csv at line 3: column "n" holds "abc"; expected a decimal number/,
    );
  });

  it('rejects rows whose field count differs from the header', () => {
    expect(() => csvAttributeRows('t.csv', 'a,b\n1,2\n3\n')).toThrow(
      /t.csv at line 3: row has 1 fields; expected 2/,
    );
  });

  it('rejects an empty file, a duplicate and an empty header name', () => {
    expect(() => csvAttributeRows('t.csv', '')).toThrow(/t.csv: file is empty/);
    expect(() => csvAttributeRows('t.csv', 'a,a\n1,2\n')).toThrow(/header names column "a" twice/);
    expect(() => csvAttributeRows('t.csv', 'a,\n1,2\n')).toThrow(/header has an empty column name/);
  });

  it('treats attribute names such as constructor as plain keys', () => {
    expect(csvAttributeRows('t.csv', 'constructor\n1\n')).toEqual([{ constructor: 1 }]);
  });
});
