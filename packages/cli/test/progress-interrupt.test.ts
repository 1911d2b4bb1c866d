import { MemoryBlobStore } from '@squash/storage';
import { describe, expect, it } from 'vitest';
import { formatBytes, formatSeconds } from '../src/format.ts';
import { InterruptedError, watchInterrupts } from '../src/interrupt.ts';
import { interruptibleStore } from '../src/interruptible-store.ts';
import { createProgress, endOpenLine } from '../src/progress.ts';

function collector(isTTY: boolean) {
  const out = { text: '', isTTY, write: (chunk: string) => (out.text += chunk) };
  return out;
}

describe('createProgress', () => {
  it('redraws one line on a terminal and ends it when the stage finishes', () => {
    const stream = collector(true);
    let now = 0;
    const progress = createProgress(stream, { nowMs: () => now });
    progress.start('loading a.fvecs');
    now = 150;
    progress.update('4096 rows');
    now = 160;
    progress.update('8192 rows'); // throttled: within 100 ms of the last update
    now = 2500;
    expect(progress.finish('10000 rows')).toBeCloseTo(2.5);
    expect(stream.text).toBe(
      '\r\x1b[2Kloading a.fvecs...\r\x1b[2Kloading a.fvecs: 4096 rows\r\x1b[2Kloading a.fvecs: 10000 rows (2.50 s)\n',
    );
  });

  it('writes plain, rate-limited lines when not a terminal', () => {
    const stream = collector(false);
    let now = 0;
    const progress = createProgress(stream, { nowMs: () => now });
    progress.start('searching');
    now = 1000;
    progress.update('a'); // within 5 s: dropped
    now = 6000;
    progress.update('b');
    now = 7000;
    progress.finish();
    expect(stream.text).toBe('searching...\nsearching: b\nsearching (7.00 s)\n');
  });

  it('ends an open terminal line before an error message', () => {
    const stream = collector(true);
    createProgress(stream).start('publishing');
    endOpenLine(stream);
    endOpenLine(stream);
    expect(stream.text).toBe('\r\x1b[2Kpublishing...\n');
  });

  it('formats seconds and bytes for people', () => {
    expect(formatSeconds(0.421)).toBe('0.42 s');
    expect(formatSeconds(75.3)).toBe('75.3 s');
    expect(formatSeconds(125)).toBe('2 min 5 s');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(188 * 1024 * 1024)).toBe('188.0 MiB');
  });
});

/** A fake process: records the SIGINT listener so tests can press Ctrl-C. */
function fakeProcess() {
  const listeners = new Set<() => void>();
  const exits: number[] = [];
  return {
    listeners,
    exits,
    source: {
      on: (_event: 'SIGINT', listener: () => void) => listeners.add(listener),
      off: (_event: 'SIGINT', listener: () => void) => listeners.delete(listener),
      exit: ((code: number) => {
        exits.push(code);
      }) as (code: number) => never,
    },
    press: () => {
      for (const listener of [...listeners]) listener();
    },
  };
}

describe('watchInterrupts', () => {
  it('aborts on the first Ctrl-C and exits 130 on the second', () => {
    const proc = fakeProcess();
    const watch = watchInterrupts(proc.source);
    proc.press();
    expect(watch.signal.aborted).toBe(true);
    expect(watch.signal.reason).toBeInstanceOf(InterruptedError);
    expect(proc.exits).toEqual([]);
    proc.press();
    expect(proc.exits).toEqual([130]);
    watch.dispose();
    expect(proc.listeners.size).toBe(0);
  });

  it('removes its listener during blocking work, so Ctrl-C takes the default action', () => {
    const proc = fakeProcess();
    const watch = watchInterrupts(proc.source);
    const during = watch.blocking(() => proc.listeners.size);
    expect(during).toBe(0);
    expect(proc.listeners.size).toBe(1);
    watch.dispose();
  });
});

describe('interruptibleStore', () => {
  it('refuses writes once interrupted, so a publish stops before CURRENT moves', async () => {
    const store = new MemoryBlobStore();
    const controller = new AbortController();
    const guarded = interruptibleStore(store, controller.signal);
    await guarded.put('a', new Uint8Array([1]));
    controller.abort();
    await expect(guarded.put('CURRENT', new Uint8Array([2]))).rejects.toBeInstanceOf(InterruptedError);
    expect(await guarded.get('a')).toEqual(new Uint8Array([1]));
    expect(await store.get('CURRENT')).toBeUndefined();
  });
});
