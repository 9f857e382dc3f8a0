// A shell word wider than its line, split so that a paste of the printed lines is still that word (the commands
// of the text report and of the live view: command-lines.ts).
import { columns } from '../model/columns.js';
import { graphemes } from './graphemes.js';

type Quote = 'none' | 'single' | 'double' | 'ansi';

/**
 * The word's units, each with the quoting it starts in: a piece may end before any unit and the shell still reads
 * one word. A backslash and what it escapes, and `$` and what follows, are one unit: a break between them would
 * change what the shell reads; inside `$'…'` (shellQuote's ANSI-C quoting) a `\xHH` is one unit too.
 */
function shellUnits(word: string): { text: string; quote: Quote }[] {
  const clusters = Array.from(graphemes(word), (s) => s.segment);
  const units: { text: string; quote: Quote }[] = [];
  let quote: Quote = 'none';
  for (let i = 0; i < clusters.length; i++) {
    const start = quote;
    let text = clusters[i]!;
    if (quote === 'ansi' && text === '\\' && i + 1 < clusters.length) {
      i++;
      text += clusters[i]!;
      while (text.length < 4 && text[1] === 'x' && /^[0-9A-Fa-f]$/.test(clusters[i + 1] ?? '')) {
        i++;
        text += clusters[i]!;
      }
    } else if (quote === 'ansi') {
      if (text === "'") quote = 'none';
    } else if (quote === 'none' && text === '$' && clusters[i + 1] === "'") {
      i++;
      text += clusters[i]!;
      quote = 'ansi';
    } else if (quote !== 'single' && (text === '\\' || text === '$') && i + 1 < clusters.length) {
      i++;
      text += clusters[i]!;
    } else if (text === "'" && quote !== 'double') quote = quote === 'single' ? 'none' : 'single';
    else if (text === '"' && quote !== 'single') quote = quote === 'double' ? 'none' : 'double';
    units.push({ text, quote: start });
  }
  return units;
}

/**
 * A shell word too wide for its line, in pieces that paste back as the same word: every piece but the last ends
 * with a line continuation (`\`; inside '…' or $'…' the quote is closed first and the next piece reopens it),
 * which the shell removes without a word break. The pieces after the first must be printed from column 0, since
 * an indent there would be a word break. `width`: the first piece's room; `flushWidth`: the others'; `reserve`: columns the
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
      const quoted = unit.quote === 'single' || unit.quote === 'ansi';
      pieces.push(`${piece}${quoted ? "'" : ''}\\`);
      piece = unit.quote === 'ansi' ? "$'" : quoted ? "'" : '';
      used = piece.length;
    }
    piece += unit.text;
    used += unitWidth;
  }
  pieces.push(piece);
  return pieces;
}
