import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Replaces the text between `<!-- <tag>:start -->` and `<!-- <tag>:end -->` in a Markdown file,
 * keeping everything else; appends the markers (and creates the file) when they are absent.
 */
export function rewriteBetweenMarkers(file: string, tag: string, body: string, heading = ''): void {
  const start = `<!-- ${tag}:start -->`;
  const end = `<!-- ${tag}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : heading;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  const next =
    from >= 0 && to > from
      ? text.slice(0, from) + block + text.slice(to + end.length)
      : `${text.trimEnd()}${text.trim() === '' ? '' : '\n\n'}${block}\n`;
  writeFileSync(file, next);
}
