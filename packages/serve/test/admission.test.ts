import { describe, expect, it } from 'vitest';
import { AdmissionLane, type Admitted } from '../src/admission.ts';

const admitted = (place: Admitted | string): Admitted => {
  if (typeof place === 'string') throw new Error(`not admitted: ${place}`);
  return place;
};

describe('AdmissionLane', () => {
  it('admits up to maxInFlight at once and the next waiter when a place is released', async () => {
    const lane = new AdmissionLane(1, 4);
    const first = admitted(await lane.enter(new AbortController().signal, 1000));
    const second = lane.enter(new AbortController().signal, 1000);
    expect(lane.queued).toBe(1);
    first.release();
    first.release(); // idempotent: frees one place, not two
    expect(typeof (await second)).toBe('object');
    expect({ running: lane.running, queued: lane.queued }).toEqual({ running: 1, queued: 0 });
  });

  it('takes a waiter out of the queue at once when its client leaves', async () => {
    const lane = new AdmissionLane(1, 4);
    const first = admitted(await lane.enter(new AbortController().signal, 1000));
    const client = new AbortController();
    const waiting = lane.enter(client.signal, 10_000);
    client.abort();
    expect(await waiting).toBe('caller-gone');
    expect(lane.queued).toBe(0);
    first.release();
    expect(lane.running).toBe(0);
  });

  it('refuses with wait-timeout after maxWaitMs and with queue-full past maxQueued', async () => {
    const lane = new AdmissionLane(1, 1);
    admitted(await lane.enter(new AbortController().signal, 1000));
    const waiting = lane.enter(new AbortController().signal, 30);
    expect(await lane.enter(new AbortController().signal, 1000)).toBe('queue-full');
    expect(await waiting).toBe('wait-timeout');
    expect(lane.queued).toBe(0);
  });
});
