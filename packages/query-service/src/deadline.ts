/**
 * Deadlines of the query path. Every tree payload carries an absolute deadline (epoch ms) by
 * which its callee must have answered. A node keeps `marginMs` of its own budget per level: it
 * stops waiting for a child half a margin before its own deadline (time to merge and answer) and
 * asks the child to answer half a margin before that (time to transfer and parse the answer), so
 * a child at depth d gets at most the coordinator's budget minus d margins.
 */

/** The window of one attempt at a child. */
export interface AttemptWindow {
  /** Epoch ms at which the caller gives up on the attempt. */
  readonly abortAt: number;
  /** Epoch ms the child is told to answer by (its payload's `deadline`). */
  readonly childDeadline: number;
}

/**
 * The window of an attempt started at `now` by a node that must answer by `deadline`: at most
 * `invokeTimeoutMs` long and ending half a margin before the node's own deadline.
 */
export function attemptWindow(
  deadline: number,
  marginMs: number,
  invokeTimeoutMs: number,
  now: number,
): AttemptWindow {
  const abortAt = Math.min(deadline - marginMs / 2, now + invokeTimeoutMs);
  return { abortAt, childDeadline: abortAt - marginMs / 2 };
}

/** Whether an attempt (or a routing round) is still worth starting: at least one margin left. */
export function hasTimeFor(window: AttemptWindow, marginMs: number, now: number): boolean {
  return window.childDeadline - now >= marginMs;
}

/** Marks a promise that lost its race against a deadline. */
export const DEADLINE_PASSED = Symbol('deadline passed');

/**
 * `promise`'s value, or `DEADLINE_PASSED` when `deadline` comes first. The timer is cleared
 * either way, so nothing keeps the process busy after the race; the losing promise's rejection is
 * observed (and dropped) so it cannot surface as an unhandled rejection.
 */
export async function beforeDeadline<T>(
  promise: Promise<T>,
  deadline: number,
  now: () => number = Date.now,
): Promise<T | typeof DEADLINE_PASSED> {
  const remaining = deadline - now();
  if (remaining <= 0) {
    promise.catch(() => {});
    return DEADLINE_PASSED;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<typeof DEADLINE_PASSED>((resolve) => {
    timer = setTimeout(() => resolve(DEADLINE_PASSED), remaining);
  });
  try {
    const winner = await Promise.race([promise, expired]);
    if (winner === DEADLINE_PASSED) promise.catch(() => {});
    return winner;
  } finally {
    clearTimeout(timer);
  }
}

/** Waits `ms` (at most), for retry back-off. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** The part of a Lambda handler's context the deadline reads. */
export interface LambdaContextLike {
  getRemainingTimeInMillis?(): number;
}

/**
 * `deadline`, brought forward when the function's own timeout (`context`) would end the
 * invocation first, keeping half a margin to return the answer. So a function whose timeout is
 * shorter than the budget it was given still answers (partially) instead of being killed.
 */
export function tightenDeadline(deadline: number, marginMs: number, context?: LambdaContextLike): number {
  const remaining = context?.getRemainingTimeInMillis?.();
  if (remaining === undefined || !Number.isFinite(remaining)) return deadline;
  return Math.min(deadline, Date.now() + remaining - marginMs / 2);
}
