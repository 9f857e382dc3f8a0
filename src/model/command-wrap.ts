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
  // Words as the shell splits them: spaces inside '…' or "…" (commandLine's quoting) do not separate.
  for (const word of command.match(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g) ?? []) {
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

const segmenter = new Intl.Segmenter();

/**
 * The word's units, each with the quoting it starts in: a piece may end before any unit and the shell still reads
 * one word. A backslash and what it escapes, and `$` and what follows, are one unit: a break between them would
 * change what the shell reads.
 */
function shellUnits(word: string): { text: string; quote: 'none' | 'single' | 'double' }[] {
  const graphemes = Array.from(segmenter.segment(word), (s) => s.segment);
  const units: { text: string; quote: 'none' | 'single' | 'double' }[] = [];
  let quote: 'none' | 'single' | 'double' = 'none';
  for (let i = 0; i < graphemes.length; i++) {
    const start = quote;
    let text = graphemes[i]!;
    if (quote !== 'single' && (text === '\\' || text === '$') && i + 1 < graphemes.length) {
      i++;
      text += graphemes[i]!;
    } else if (text === "'" && quote !== 'double') quote = quote === 'single' ? 'none' : 'single';
    else if (text === '"' && quote !== 'single') quote = quote === 'double' ? 'none' : 'double';
    units.push({ text, quote: start });
  }
  return units;
}

/**
 * A shell word too wide for its line, in pieces that paste back as the same word: every piece but the last ends
 * with a line continuation (`\`; inside '…' the quote is closed first and the next piece reopens it), which the
 * shell removes without a word break. The pieces after the first must be printed from column 0, since an indent
 * there would be a word break. `width`: the first piece's room; `flushWidth`: the others'; `reserve`: columns the
 * last piece leaves free (for the ` \` of a command that goes on).
 */
export function splitShellWord(word: string, width: number, flushWidth: number, reserve = 0): string[] {
  // Room for the longest continuation (`'\`) or the reserve, whichever is more, at the end of every piece.
  const tail = Math.max(2, reserve);
  const pieces: string[] = [];
  let piece = '';
  let used = 0;
  for (const unit of shellUnits(word)) {
    const unitWidth = columns(unit.text);
    const room = (pieces.length === 0 ? width : flushWidth) - tail;
    if (piece && used + unitWidth > room) {
      const single = unit.quote === 'single';
      pieces.push(`${piece}${single ? "'" : ''}\\`);
      piece = single ? "'" : '';
      used = piece.length;
    }
    piece += unit.text;
    used += unitWidth;
  }
  pieces.push(piece);
  return pieces;
}
