import { columns } from '../model/columns.js';
import { wrapCommand } from '../model/command-wrap.js';
import { splitShellWord } from './split-shell-word.js';

/** A line of a command as drawn: `flush` lines go from column 0, with no indent (see commandRows). */
export interface CommandRow {
  text: string;
  flush: boolean;
}

/**
 * A command on screen or in the report is never cut: it breaks between shell words (with ` \`), and a word wider
 * than its line goes on from column 0 after a line continuation (splitShellWord), so that selecting the lines
 * and pasting them runs the same command (an indent before such a piece would split the word). `width`: the room
 * of the first line, `restWidth`: of the lines after it (indented more), `flushWidth`: of a flush line.
 */
export function commandRows(
  command: string,
  width: number,
  restWidth: number,
  flushWidth: number,
): CommandRow[] {
  return wrapCommand(command, width, restWidth).flatMap((line, index) => {
    const room = index === 0 ? width : restWidth;
    if (columns(line) <= room) return [{ text: line, flush: false }];
    const goesOn = line.endsWith(' \\');
    const parts = splitShellWord(goesOn ? line.slice(0, -2) : line, room, flushWidth, goesOn ? 2 : 0);
    return parts.map((text, i) => ({
      text: goesOn && i === parts.length - 1 ? `${text} \\` : text,
      flush: i > 0,
    }));
  });
}
