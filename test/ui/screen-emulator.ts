import stringWidth from 'string-width';

/**
 * Just enough of a terminal to check what the cell-diff writer sends: absolute moves, erase in line,
 * clear screen and text (SGR is skipped). Written independently of the writer, so that it can catch it.
 */
export class ScreenEmulator {
  private grid: string[][] = [];
  private row = 0;
  private col = 0;

  apply(bytes: string): void {
    const token = /\u001b\[([0-9;?]*)([A-Za-z])|([^\u001b]+)/gy;
    for (const match of bytes.matchAll(token)) {
      if (match[3] !== undefined) {
        for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(
          match[3],
        )) {
          const width = stringWidth(segment);
          if (!this.grid[this.row]) this.grid[this.row] = [];
          const line = this.grid[this.row]!;
          while (line.length < this.col) line.push(' ');
          line[this.col] = segment;
          for (let i = 1; i < width; i++) line[this.col + i] = '';
          this.col += width;
        }
        continue;
      }
      const [params = '', command] = [match[1], match[2]];
      const numbers = params.split(';').map((n) => Number(n) || 1);
      if (command === 'H') {
        this.row = (params ? numbers[0]! : 1) - 1;
        this.col = (params ? (numbers[1] ?? 1) : 1) - 1;
      } else if (command === 'J' && params === '2') this.grid = [];
      else if (command === 'K' && params === '2') this.grid[this.row] = [];
      else if (command === 'K') this.grid[this.row] = (this.grid[this.row] ?? []).slice(0, this.col);
      else if (command !== 'm' && command !== 'h' && command !== 'l')
        throw new Error(`unexpected ESC[${params}${command}`);
    }
  }

  text(): string {
    const lines = Array.from({ length: this.grid.length }, (_, i) => (this.grid[i] ?? []).join('').trimEnd());
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return lines.join('\n');
  }
}
