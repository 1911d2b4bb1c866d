/**
 * Directed rounding to float32. Bounds stored as float32 must stay bounds: a lower bound is
 * rounded towards -infinity and an upper bound towards +infinity, never to nearest.
 */

const bits = new Uint32Array(1);
const floats = new Float32Array(bits.buffer);

/** The largest float32 <= x (x finite). */
export function float32Below(x: number): number {
  const nearest = Math.fround(x);
  return nearest <= x ? nearest : stepFloat32(nearest, -1);
}

/** The smallest float32 >= x (x finite). */
export function float32Above(x: number): number {
  const nearest = Math.fround(x);
  return nearest >= x ? nearest : stepFloat32(nearest, 1);
}

/** The neighbouring float32 of `value` (itself a float32) in direction `direction`. */
function stepFloat32(value: number, direction: 1 | -1): number {
  if (value === 0) return direction * 1.401298464324817e-45;
  floats[0] = value;
  // Positive floats order like their bit patterns, negative ones in reverse.
  bits[0] = bits[0]! + (value > 0 === direction > 0 ? 1 : -1);
  return floats[0]!;
}
