/** Longest rendering of a user value in an error message, in characters. @default 80 */
export const QUOTE_MAX_CHARS = 80;

/**
 * A user-supplied value as an error message shows it: JSON-quoted and cut to `maxChars`, with the
 * number of characters left out. Messages echo what was wrong without echoing a 4 MB attribute
 * name twice into a response.
 */
export function quote(value: unknown, maxChars = QUOTE_MAX_CHARS): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}... (${text.length - maxChars} more characters)`;
}
