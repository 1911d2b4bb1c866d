/**
 * `.npy` files written by numpy 2.4.6 itself, base64-encoded, so the reader is checked against
 * the reference writer rather than only against our own. Regenerate with:
 *
 *   python3 -c "import numpy as np, io, base64; from numpy.lib import format as F
 *   f = io.BytesIO(); np.save(f, np.arange(6, dtype='<f4').reshape(2, 3) / 4)
 *   print(base64.b64encode(f.getvalue()).decode())"
 *
 * (`F.write_array(f, a, version=(2, 0))` for the v2/v3 files, `np.asfortranarray` for the
 * Fortran-order one.)
 */
export const NUMPY_FILES = {
  /** np.arange(6, dtype='<f4').reshape(2, 3) / 4 */
  f4: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAACAPgAAAD8AAEA/AACAPwAAoD8=',
  /** np.array([[0.1, -2.5], [1e-3, 3]], dtype='<f8') */
  f8: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAqamZmZmZm5PwAAAAAAAATA/Knx0k1iUD8AAAAAAAAIQA==',
  /** np.array([[0, 255, 7]], dtype='|u1') */
  u1: 'k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoA/wc=',
  /** np.array([3, -1, 7], dtype='<i4') (1-D) */
  i4: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoDAAAA/////wcAAAA=',
  /** np.arange(4, dtype='<f4').reshape(2, 2), format version 2.0 */
  v2: 'k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMiksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAACAPwAAAEAAAEBA',
  /** np.arange(4, dtype='<f4').reshape(2, 2), format version 3.0 */
  v3: 'k05VTVBZAwB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMiksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAACAPwAAAEAAAEBA',
  /** np.asfortranarray(np.arange(6, dtype='<f4').reshape(2, 3)) */
  fortran:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQAAAgD8AAIBAAAAAQAAAoEA=',
  /** np.arange(2, dtype='<f2').reshape(1, 2): float16, not supported */
  f2: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGYyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAA8',
} as const;

export function numpyFile(name: keyof typeof NUMPY_FILES): Uint8Array {
  return new Uint8Array(Buffer.from(NUMPY_FILES[name], 'base64'));
}
