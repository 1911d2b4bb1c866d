/** Candidate bitmaps travel as base64 of their little-endian Uint32 words (compact in JSON). */
export function encodeBitmap(bits: Uint32Array): string {
  return Buffer.from(bits.buffer, bits.byteOffset, bits.byteLength).toString('base64');
}

export function decodeBitmap(encoded: string): Uint32Array {
  const bytes = Buffer.from(encoded, 'base64');
  const words = new Uint32Array(Math.ceil(bytes.length / 4));
  new Uint8Array(words.buffer).set(bytes);
  return words;
}
