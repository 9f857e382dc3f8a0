// Go's text/tabwriter as kubectl configures it for `describe` (minwidth 0, tabwidth 8, padding 2, padchar ' ',
// no flags): text is cut into cells at tabs; a column block is a run of consecutive lines that all have a
// tab-terminated cell in that column, and each cell of the block is padded to the widest + 2. A line's last
// cell (not ended by a tab) is never padded. Widths count code points, as Go counts runes.

const PADDING = 2;

type Line = string[];

function width(cell: string): number {
  return [...cell].length;
}

export function tabwrite(text: string): string {
  const lines: Line[] = text.split('\n').map((line) => line.split('\t'));
  // A trailing newline leaves one empty line behind: it is not a line of output.
  const trailing = text.endsWith('\n');
  if (trailing) lines.pop();
  const out: string[] = [];
  const widths: number[] = [];

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i]!;
      out.push(
        cells
          .map((cell, j) =>
            j < widths.length && j < cells.length - 1
              ? cell.padEnd(cell.length + widths[j]! - width(cell))
              : cell,
          )
          .join(''),
      );
    }
  };

  const format = (line0: number, line1: number) => {
    const column = widths.length;
    let start = line0;
    for (let current = line0; current < line1; current++) {
      if (column >= lines[current]!.length - 1) continue;
      writeLines(start, current);
      start = current;
      let blockWidth = 0;
      for (; current < line1; current++) {
        const cells = lines[current]!;
        if (column >= cells.length - 1) break;
        blockWidth = Math.max(blockWidth, width(cells[column]!) + PADDING);
      }
      widths.push(blockWidth);
      format(start, current);
      widths.pop();
      start = current;
      current--;
    }
    writeLines(start, line1);
  };

  format(0, lines.length);
  return out.join('\n') + (trailing ? '\n' : '');
}
