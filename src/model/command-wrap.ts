import stringWidth from 'string-width';

/**
 * A command keeps every word whole (a cut would break copy and paste); it breaks only between words,
 * with a shell continuation, and a word longer than the line is left to overflow.
 */
export function wrapCommand(command: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  // Words as the shell splits them: spaces inside '…' or "…" (commandLine's quoting) do not separate.
  for (const word of command.match(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g) ?? []) {
    if (line && stringWidth(`${line} ${word} \\`) > width) {
      lines.push(`${line} \\`);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines;
}
