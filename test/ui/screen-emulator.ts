import stringWidth from 'string-width';

/**
 * Just enough of a terminal to check what the cell-diff writer sends: absolute and relative moves, carriage
 * return, erase in line, clear screen, scroll regions, text, and the style each cell was written with (the
 * writer always sends SGR as a reset followed by the whole style, `ESC[0;…m`). Written independently of the
 * writer, so that it can catch it. Like a terminal, it keeps the cursor on the last column after writing
 * there (`columns`), and stops relative moves at the edges.
 */
export class ScreenEmulator {
  constructor(private readonly columns = Number.POSITIVE_INFINITY) {}

  private grid: string[][] = [];
  private styleGrid: string[][] = [];
  private style = '';
  private region: [number, number] | undefined;
  private row = 0;
  private col = 0;

  apply(bytes: string): void {
    const token = /\u001b\[([0-9;?]*)([A-Za-z])|([\r\n\b])|([^\u001b\r\n\b]+)/gy;
    for (const match of bytes.matchAll(token)) {
      // A carriage return goes to the first column; a line feed (ONLCR aside) one row down, same column; a
      // backspace one column left.
      if (match[3] === '\r') {
        this.col = 0;
        continue;
      }
      if (match[3] === '\n') {
        this.row++;
        continue;
      }
      if (match[3] === '\b') {
        this.col = Math.max(0, this.col - 1);
        continue;
      }
      if (match[4] !== undefined) {
        for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(
          match[4],
        )) {
          const width = stringWidth(segment);
          if (!this.grid[this.row]) this.grid[this.row] = [];
          if (!this.styleGrid[this.row]) this.styleGrid[this.row] = [];
          const line = this.grid[this.row]!;
          const styles = this.styleGrid[this.row]!;
          while (line.length < this.col) line.push(' ');
          while (styles.length < this.col) styles.push('');
          line[this.col] = segment;
          styles[this.col] = this.style;
          for (let i = 1; i < width; i++) {
            line[this.col + i] = '';
            styles[this.col + i] = this.style;
          }
          this.col = Math.min(this.col + width, this.columns - 1);
        }
        continue;
      }
      const [params = '', command] = [match[1], match[2]];
      const numbers = params.split(';').map((n) => Number(n) || 1);
      if (command === 'H') {
        this.row = (params ? numbers[0]! : 1) - 1;
        this.col = (params ? (numbers[1] ?? 1) : 1) - 1;
      } else if (command === 'J' && params === '2') {
        this.grid = [];
        this.styleGrid = [];
      } else if (command === 'K' && params === '2') {
        this.grid[this.row] = [];
        this.styleGrid[this.row] = [];
      } else if (command === 'K') {
        this.grid[this.row] = (this.grid[this.row] ?? []).slice(0, this.col);
        this.styleGrid[this.row] = (this.styleGrid[this.row] ?? []).slice(0, this.col);
      } else if (command === 'm') this.style = params.replace(/^0;?/, '');
      else if (command === 'C') this.col = Math.min(this.col + numbers[0]!, this.columns - 1);
      else if (command === 'D') this.col = Math.max(0, this.col - numbers[0]!);
      else if (command === 'A') this.row = Math.max(0, this.row - numbers[0]!);
      else if (command === 'B') this.row += numbers[0]!;
      else if (command === 'G') this.col = numbers[0]! - 1;
      else if (command === 'r') {
        // Scroll region (DECSTBM); the cursor goes home.
        this.region = params ? [numbers[0]! - 1, numbers[1]! - 1] : undefined;
        this.row = 0;
        this.col = 0;
      } else if (command === 'M' || command === 'L') {
        // Delete or insert lines at the cursor's row, inside the scroll region (or the whole screen).
        const bottom = this.region?.[1] ?? Math.max(this.grid.length, this.row + 1) - 1;
        const n = params ? numbers[0]! : 1;
        for (const rows of [this.grid, this.styleGrid]) {
          while (rows.length <= bottom) rows.push([]);
          const block = rows.slice(this.row, bottom + 1);
          const blank = Array.from({ length: Math.min(n, block.length) }, () => []);
          const moved =
            command === 'M' ? [...block.slice(n), ...blank] : [...blank, ...block.slice(0, block.length - n)];
          rows.splice(this.row, block.length, ...moved.slice(0, block.length));
        }
      } else if (command !== 'm' && command !== 'h' && command !== 'l')
        throw new Error(`unexpected ESC[${params}${command}`);
    }
  }

  /** Each row's cells' styles (SGR parameters after the reset), up to its last written cell. */
  styles(): string[][] {
    return Array.from({ length: this.grid.length }, (_, i) => this.styleGrid[i] ?? []);
  }

  text(): string {
    const lines = Array.from({ length: this.grid.length }, (_, i) => (this.grid[i] ?? []).join('').trimEnd());
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return lines.join('\n');
  }
}
