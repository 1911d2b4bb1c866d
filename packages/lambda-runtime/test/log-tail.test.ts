import { describe, expect, it } from 'vitest';
import { LogTail } from '../src/log-tail.ts';

describe('LogTail', () => {
  it('returns everything when the log is shorter than the limit', () => {
    const tail = new LogTail(16);
    tail.append('abc\n');
    tail.append('def\n');
    expect(tail.tailBytes().toString()).toBe('abc\ndef\n');
    expect(Buffer.from(tail.toBase64(), 'base64').toString()).toBe('abc\ndef\n');
  });

  it('keeps exactly the last maxBytes bytes of a long log', () => {
    const tail = new LogTail(10);
    for (let i = 0; i < 100; i += 1) tail.append(`${i % 10}`);
    expect(tail.tailBytes().toString()).toBe('0123456789');
  });

  it('starts the tail on a character boundary instead of inside a multi-byte character', () => {
    const tail = new LogTail(4);
    tail.append('ab€cd'); // € is 3 bytes, so the last 4 bytes begin inside it
    expect(tail.tailBytes().toString()).toBe('cd');
    tail.append('€');
    expect(tail.tailBytes().toString()).toBe('d€');
  });

  it('is empty before anything is appended', () => {
    expect(new LogTail().toBase64()).toBe('');
  });
});
