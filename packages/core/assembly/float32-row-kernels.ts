/**
 * Distance between one query and one row, both float32 and `dim` long, with WebAssembly SIMD.
 *
 * Four independent f32x4 accumulators take 16 floats per iteration: one accumulator would chain
 * every add onto the previous one (a 3-4 cycle latency each), four let the adds overlap. A 4-float
 * step and a scalar tail handle dims that are not multiples of 16 or 4. Loads are unaligned on
 * purpose: a row of a dim-not-divisible-by-4 matrix starts at any 4-byte boundary, and on current
 * x86-64 and arm64 cores an unaligned v128 load costs little more than an aligned one.
 *
 * Accumulation is float32 (lanes summed in a different order than the float64 TypeScript
 * reference), so results agree with it to float32 rounding, not bit for bit.
 */

/** Squared Euclidean distance sum((q - x)^2). */
// @ts-ignore: decorator
@inline
export function l2Row(query: usize, row: usize, dim: i32): f32 {
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  let acc2 = f32x4.splat(0);
  let acc3 = f32x4.splat(0);
  let j: i32 = 0;
  for (; j + 16 <= dim; j += 16) {
    const q = query + (<usize>j << 2);
    const x = row + (<usize>j << 2);
    const d0 = f32x4.sub(v128.load(q), v128.load(x));
    const d1 = f32x4.sub(v128.load(q, 16), v128.load(x, 16));
    const d2 = f32x4.sub(v128.load(q, 32), v128.load(x, 32));
    const d3 = f32x4.sub(v128.load(q, 48), v128.load(x, 48));
    acc0 = f32x4.add(acc0, f32x4.mul(d0, d0));
    acc1 = f32x4.add(acc1, f32x4.mul(d1, d1));
    acc2 = f32x4.add(acc2, f32x4.mul(d2, d2));
    acc3 = f32x4.add(acc3, f32x4.mul(d3, d3));
  }
  for (; j + 4 <= dim; j += 4) {
    const d = f32x4.sub(v128.load(query + (<usize>j << 2)), v128.load(row + (<usize>j << 2)));
    acc0 = f32x4.add(acc0, f32x4.mul(d, d));
  }
  let sum = horizontalSum(f32x4.add(f32x4.add(acc0, acc1), f32x4.add(acc2, acc3)));
  for (; j < dim; j++) {
    const d = load<f32>(query + (<usize>j << 2)) - load<f32>(row + (<usize>j << 2));
    sum += d * d;
  }
  return sum;
}

/** Inner product sum(q * x). */
// @ts-ignore: decorator
@inline
export function dotRow(query: usize, row: usize, dim: i32): f32 {
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  let acc2 = f32x4.splat(0);
  let acc3 = f32x4.splat(0);
  let j: i32 = 0;
  for (; j + 16 <= dim; j += 16) {
    const q = query + (<usize>j << 2);
    const x = row + (<usize>j << 2);
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(q), v128.load(x)));
    acc1 = f32x4.add(acc1, f32x4.mul(v128.load(q, 16), v128.load(x, 16)));
    acc2 = f32x4.add(acc2, f32x4.mul(v128.load(q, 32), v128.load(x, 32)));
    acc3 = f32x4.add(acc3, f32x4.mul(v128.load(q, 48), v128.load(x, 48)));
  }
  for (; j + 4 <= dim; j += 4) {
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(query + (<usize>j << 2)), v128.load(row + (<usize>j << 2))));
  }
  let sum = horizontalSum(f32x4.add(f32x4.add(acc0, acc1), f32x4.add(acc2, acc3)));
  for (; j < dim; j++) {
    sum += load<f32>(query + (<usize>j << 2)) * load<f32>(row + (<usize>j << 2));
  }
  return sum;
}

// @ts-ignore: decorator
@inline
function horizontalSum(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3))
  );
}
