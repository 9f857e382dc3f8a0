import { columns } from './columns.js';

/**
 * A command keeps every word whole (a cut would break copy and paste); it breaks only between words,
 * with a shell continuation, and a word longer than the line is left to overflow. `restWidth`: the room of the
 * lines after the first, when they are indented more.
 */
export function wrapCommand(command: string, width: number, restWidth = width): string[] {
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  // Words as the shell splits them: spaces inside '…' or "…" (commandLine's quoting) do not separate, and a
  // backslash quotes the next character (the `\'` of `'it'\''s'`, which would otherwise open a quote).
  for (const word of command.match(/(?:\\[\s\S]?|[^\s'"\\]+|'[^']*'|"(?:[^"\\]|\\[\s\S])*")+/g) ?? []) {
    const wordWidth = columns(word);
    // `${line} ${word} \`: words meet at spaces, where no character joins the next, so widths add up.
    if (line && lineWidth + 1 + wordWidth + 2 <= (lines.length === 0 ? width : restWidth)) {
      line = `${line} ${word}`;
      lineWidth += 1 + wordWidth;
      continue;
    }
    if (line) lines.push(`${line} \\`);
    line = word;
    lineWidth = wordWidth;
  }
  lines.push(line);
  return lines;
}
