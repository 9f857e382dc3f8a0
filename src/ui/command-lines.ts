import { columns } from '../model/columns.js';
import { wrapCommand } from '../model/command-wrap.js';
import { truncate } from './fit.js';

/**
 * A command on screen is never cut at the edge: it breaks between shell words (with `\`, so what is selected
 * by hand still pastes), and a single word wider than the screen continues on the next line.
 */
export function commandLines(command: string, width: number): string[] {
  const room = Math.max(10, width);
  return wrapCommand(command, room).flatMap((line) => {
    const parts: string[] = [];
    let rest = line;
    while (columns(rest) > room) {
      const head = truncate(rest, room, '');
      parts.push(head);
      rest = rest.slice(head.length);
    }
    parts.push(rest);
    return parts;
  });
}
