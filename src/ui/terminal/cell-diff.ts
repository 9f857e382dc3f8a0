import stringWidth from 'string-width';
import { BoundedMap } from '../../model/bounded-map.js';
import { SIMPLE_NARROW } from '../../model/columns.js';
import { graphemes } from '../graphemes.js';
import { ONE_STYLE } from './ink-patches.js';

// Over SSH every byte counts. Ink's incrementalRendering rewrites every changed line whole, so a screen of
// ticking countdowns still costs ~4.5 KB/s (reference/ink-notes.md §3). This sits between Ink and the
// terminal: Ink renders in its standard mode (each frame = erase the previous lines, then the whole frame,
// text and SGR only), and this keeps the last frame as a grid of cells and sends only the cells that
// changed, with the fewest bytes it finds: the shortest cursor move from where the last cell left it, a style
// only when it differs from the one the terminal writes in, a scroll when rows moved. It relies on what
// crashtop guarantees: the frame starts at the top-left of the alternate screen and is shorter than the
// terminal (so it never scrolls by itself).

interface Style {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  strikethrough?: boolean;
}

/**
 * A frame line as the terminal's cells, in two parallel sequences (a screen is thousands of cells a tick). A
 * line of plainly narrow text in one style (every row of the table) is its text itself, one cell per UTF-16
 * unit, and a shared sequence of its style: parsing it allocates nothing per cell.
 */
export interface Cells {
  /** Each cell's grapheme; '' for the right half of a wide character. */
  readonly text: ArrayLike<string>;
  /** Each cell's canonical SGR parameters ('' = default); read only below `text.length`. */
  readonly style: ArrayLike<string>;
}

const EMPTY: Cells = { text: [], style: [] };
const ESC = '\u001b';
const ERASE_PREFIX = /^(?:\u001b\[2K(?:\u001b\[1A)?)*(?:\u001b\[G)?/;
const CLEAR_SCREEN = /^\u001b\[2J\u001b\[3J\u001b\[H/;
const TOKEN = /\u001b\[([0-9;:]*)m|\u001b\[[0-9;?]*[A-Za-z]/g;
const SGR = /\u001b\[([0-9;]*)m/g;
/** Writes Ink makes that are not frames: pass them through untouched. */
const CONTROL_ONLY = /^(?:\u001b\[\?(?:2026|25|1049)[hl]|\u001b\[H)+$/;
/** Ink wraps each frame in these (synchronized update): the frame and both are sent as one write. */
const BEGIN_SYNC = '\u001b[?2026h';
const END_SYNC = '\u001b[?2026l';

function applySgr(style: Style, params: string): Style {
  const codes = params === '' ? [0] : params.split(/[;:]/).map(Number);
  const next: Style = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code === 0) for (const key of Object.keys(next)) delete next[key as keyof Style];
    else if (code === 1) next.bold = true;
    else if (code === 2) next.dim = true;
    else if (code === 3) next.italic = true;
    else if (code === 4) next.underline = true;
    else if (code === 7) next.inverse = true;
    else if (code === 9) next.strikethrough = true;
    else if (code === 22) {
      delete next.bold;
      delete next.dim;
    } else if (code === 23) delete next.italic;
    else if (code === 24) delete next.underline;
    else if (code === 27) delete next.inverse;
    else if (code === 29) delete next.strikethrough;
    else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) next.fg = String(code);
    else if (code === 39) delete next.fg;
    else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) next.bg = String(code);
    else if (code === 49) delete next.bg;
    else if (code === 38 || code === 48) {
      const extended = codes[i + 1] === 5 ? codes.slice(i, i + 3) : codes.slice(i, i + 5);
      i += extended.length - 1;
      if (code === 38) next.fg = extended.join(';');
      else next.bg = extended.join(';');
    }
  }
  return next;
}

function styleParams(style: Style): string {
  const params: string[] = [];
  if (style.bold) params.push('1');
  if (style.dim) params.push('2');
  if (style.italic) params.push('3');
  if (style.underline) params.push('4');
  if (style.inverse) params.push('7');
  if (style.strikethrough) params.push('9');
  if (style.fg) params.push(style.fg);
  if (style.bg) params.push(style.bg);
  return params.join(';');
}

/** The canonical parameters after SGR `codes` applied to a cell in `params`; a screen has a handful of styles. */
const nextParamsCache = new BoundedMap<string, string>(1000);
function nextParams(params: string, codes: string): string {
  const key = `${params}|${codes}`;
  let next: string | undefined = nextParamsCache.get(key);
  if (next === undefined) {
    next = styleParams(applySgr(applySgr({}, params), codes));
    nextParamsCache.set(key, next);
  }
  return next;
}

/** One style repeated, shared by every one-style line in it (at least `length` long). */
const uniformStyles = new BoundedMap<string, string[]>(1000);
function uniformStyle(params: string, length: number): string[] {
  let style = uniformStyles.get(params);
  if (style === undefined) {
    style = [];
    uniformStyles.set(params, style);
  }
  while (style.length < length) style.push(params);
  return style;
}

/** A frame line as cells. Cursor and erase sequences inside a line cannot occur in a frame and are dropped. */
export function toCells(line: string): Cells {
  const oneStyle = ONE_STYLE.exec(line);
  if (oneStyle && SIMPLE_NARROW.test(oneStyle[2]!)) {
    // One column per UTF-16 unit (SIMPLE_NARROW), all in the style the codes before the text set.
    const plain = oneStyle[2]!;
    let params = '';
    for (const codes of oneStyle[1]!.matchAll(SGR)) params = nextParams(params, codes[1]!);
    return { text: plain, style: uniformStyle(params, plain.length) };
  }
  const text: string[] = [];
  const style: string[] = [];
  let params = '';
  const pushText = (chunk: string) => {
    if (SIMPLE_NARROW.test(chunk)) {
      for (const ch of chunk) {
        text.push(ch);
        style.push(params);
      }
      return;
    }
    for (const { segment } of graphemes(chunk)) {
      const width = stringWidth(segment);
      if (width === 0) {
        // A combining mark or zero-width joiner belongs to the previous cell.
        if (text.length > 0) text[text.length - 1] += segment;
        continue;
      }
      text.push(segment);
      style.push(params);
      for (let i = 1; i < width; i++) {
        text.push('');
        style.push(params);
      }
    }
  };
  let last = 0;
  for (const match of line.matchAll(TOKEN)) {
    pushText(line.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[1] !== undefined) params = nextParams(params, match[1]);
  }
  pushText(line.slice(last));
  return { text, style };
}

const sgr = (style: string) => (style ? `${ESC}[0;${style}m` : `${ESC}[0m`);
const sgrBytes = (style: string) => (style ? 5 + style.length : 4);
const digits = (n: number) => (n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : String(n).length);
/** `ESC[nX`, with n left out when it is 1. */
const csi = (n: number, command: string) => (n === 1 ? `${ESC}[${command}` : `${ESC}[${n}${command}`);
const csiBytes = (n: number) => (n === 1 ? 3 : 3 + digits(n));
/** How the cursor gets where the next change starts (Pen.move). */
type Move = 'none' | 'absolute' | 'relative' | 'return' | 'newline';
const textBytes = (text: string) =>
  text.length === 1 && text.charCodeAt(0) < 0x80 ? 1 : Buffer.byteLength(text);

/**
 * The bytes of a frame's changes, and the terminal's state as they leave it: where the cursor stands (so the
 * next move can be relative) and the style it writes in (so a style is sent only when it changes).
 */
class Pen {
  out = '';
  /** -1: unknown (a new frame, or the cursor may wait at the right margin to wrap). */
  private row = -1;
  private col = 0;
  private style = '';
  /** How the cursor gets to where moveBytes last measured. */
  private kind: Move = 'none';

  constructor(
    private readonly columns: number,
    private readonly rows: number,
  ) {}

  /**
   * The shortest of an absolute move, relative moves (backspaces for a column or two to the left), and a
   * carriage return (and a line feed to the next row) then a move right. A line feed scrolls only on the
   * last row, where a frame never draws. Chosen by length first (paintChanges weighs every change left
   * against every other), the bytes made only for the one written.
   */
  private moveBytes(row: number, col: number): number {
    // Weighed for every change left before each one is painted: the kind goes to a field, not a new object.
    this.kind = 'none';
    if (row === this.row && col === this.col) return 0;
    let kind: Move = 'absolute';
    let bytes = col === 0 ? 3 + digits(row + 1) : 4 + digits(row + 1) + digits(col + 1);
    if (this.row >= 0) {
      const down = row - this.row;
      const vertical = down === 0 ? 0 : csiBytes(Math.abs(down));
      const right = col - this.col;
      const horizontal =
        right === 0 ? 0 : right > 0 ? csiBytes(right) : right >= -2 ? -right : csiBytes(-right);
      const right0 = col === 0 ? 0 : csiBytes(col);
      if (vertical + horizontal < bytes) {
        kind = 'relative';
        bytes = vertical + horizontal;
      }
      if (vertical + 1 + right0 < bytes) {
        kind = 'return';
        bytes = vertical + 1 + right0;
      }
      // CR first: the terminal's ONLCR may make the line feed a CR LF anyway.
      if (down === 1 && row < this.rows - 1 && 2 + right0 < bytes) {
        kind = 'newline';
        bytes = 2 + right0;
      }
    }
    this.kind = kind;
    return bytes;
  }

  move(row: number, col: number): string {
    this.moveBytes(row, col);
    const { kind } = this;
    const down = row - this.row;
    const vertical = down === 0 ? '' : down > 0 ? csi(down, 'B') : csi(-down, 'A');
    const right0 = col === 0 ? '' : csi(col, 'C');
    switch (kind) {
      case 'none':
        return '';
      case 'absolute':
        return col === 0 ? `${ESC}[${row + 1}H` : `${ESC}[${row + 1};${col + 1}H`;
      case 'relative': {
        const right = col - this.col;
        const horizontal =
          right === 0
            ? ''
            : right > 0
              ? csi(right, 'C')
              : right >= -2
                ? '\b'.repeat(-right)
                : csi(-right, 'D');
        return vertical + horizontal;
      }
      case 'return':
        return `${vertical}\r${right0}`;
      case 'newline':
        return `\r\n${right0}`;
    }
  }

  moveTo(row: number, col: number): void {
    this.out += this.move(row, col);
    this.row = row;
    this.col = col;
  }

  /** Bytes to start writing at (`row`, `col`) in `style`. */
  costTo(row: number, col: number, style: string): number {
    return this.moveBytes(row, col) + (style === this.style ? 0 : sgrBytes(style));
  }

  setStyle(style: string): void {
    if (style === this.style) return;
    this.out += sgr(style);
    this.style = style;
  }

  /** Text that ends at column `endCol`. */
  write(text: string, endCol: number): void {
    this.out += text;
    this.col = endCol;
    // At the right margin the terminal keeps the cursor on the last column until the next character.
    if (endCol >= this.columns) this.row = -1;
  }

  /**
   * An erase or a scroll: what it clears takes the current background, so the default style first. The
   * cursor is where `cursor` says afterwards, or unknown.
   */
  control(bytes: string, cursor?: readonly [number, number]): void {
    this.setStyle('');
    this.out += bytes;
    if (cursor) [this.row, this.col] = cursor;
    else this.row = -1;
  }

  /** The frame's bytes, the terminal left in the default style. */
  finish(): string {
    this.setStyle('');
    return this.out;
  }
}

/**
 * Bytes to write the unchanged cells `from`..`to` - 1 again instead of jumping over them: their text and
 * every style change, from the style the run before them ends in to the style the next run starts in.
 */
function rewriteBytes(after: Cells, from: number, to: number): number {
  let bytes = 0;
  let style = after.style[from - 1] ?? '';
  for (let i = from; i < to; i++) {
    if (after.text[i] === '') continue;
    if (after.style[i] !== style) {
      style = after.style[i]!;
      bytes += sgrBytes(style);
    }
    bytes += textBytes(after.text[i]!);
  }
  const next = after.style[to] ?? '';
  if (next !== style) bytes += sgrBytes(next);
  if (next !== (after.style[from - 1] ?? '')) bytes -= sgrBytes(next);
  return bytes;
}

/** A part of a frame's changes: a run of cells to write, or an erase to the end of the row or of all of it. */
interface Change {
  row: number;
  col: number;
  /** The style it starts in. */
  style: string;
  paint(pen: Pen): void;
}

/**
 * What turns `before` into `after` on screen row `row` (0-based): runs of changed cells, the unchanged cells
 * between two runs written again only when that is shorter than jumping over them, and an erase of what a
 * shorter line leaves.
 */
function lineChanges(before: Cells, after: Cells, row: number, changes: Change[]): void {
  const n = after.text.length;
  // Run for every cell of every changed row: the sequences held in locals.
  const { text: beforeText, style: beforeStyle } = before;
  const { text: afterText, style: afterStyle } = after;
  const shared = Math.min(beforeText.length, n);
  // Two one-style lines in one style (changeBytes): their characters alone tell.
  const same =
    typeof beforeText === 'string' && typeof afterText === 'string' && beforeStyle[0] === afterStyle[0]
      ? (i: number) => i < shared && beforeText.charCodeAt(i) === afterText.charCodeAt(i)
      : (i: number) => i < shared && beforeText[i] === afterText[i] && beforeStyle[i] === afterStyle[i];
  let i = 0;
  for (;;) {
    // Unchanged cells are skipped here, before the block below: its variables are captured by `paint`, so
    // each pass through it makes a new context, and one a cell was most of a tick's garbage (~200 KB).
    while (i < n && same(i)) i++;
    if (i >= n) break;
    // Never start in the middle of a wide character.
    let start = i;
    while (start > 0 && after.text[start] === '') start--;
    let end = i + 1;
    for (;;) {
      while (end < n && (!same(end) || after.text[end] === '')) end++;
      let next = end;
      while (next < n && same(next)) next++;
      if (next >= n) break;
      // Resume on a whole character: a run never starts on the right half of a wide one.
      let resume = next;
      while (resume > end && after.text[resume] === '') resume--;
      if (rewriteBytes(after, end, resume) > csiBytes(resume - end)) break;
      end = next + 1;
    }
    const runEnd = end;
    changes.push({
      row,
      col: start,
      style: after.style[start]!,
      paint(pen) {
        pen.moveTo(row, start);
        // A one-style line of narrow text (a table row): its run is a slice. A frame that fills the screen
        // (the first list's) went cell by cell through code V8 had not compiled yet: a tenth of that frame.
        if (typeof afterText === 'string') {
          pen.setStyle(afterStyle[start]!);
          pen.write(afterText.slice(start, runEnd), runEnd);
          return;
        }
        for (let c = start; c < runEnd; c++) {
          const text = after.text[c]!;
          if (text === '') continue;
          let width = 1;
          while (after.text[c + width] === '') width++;
          pen.setStyle(after.style[c]!);
          pen.write(text, c + width);
        }
      },
    });
    i = end;
  }
  if (n < before.text.length) changes.push(eraseChange(row, n, `${ESC}[K`));
}

function eraseChange(row: number, col: number, erase: string): Change {
  return {
    row,
    col,
    style: '',
    paint(pen) {
      pen.moveTo(row, col);
      pen.control(erase, [row, col]);
    },
  };
}

/**
 * The changes in the order that costs the fewest moves and style switches, each chosen nearest to where the
 * last one left the cursor: a tick changes two cells in every row, one above the other, and going down a
 * column (a line down, a backspace) is shorter than going back to the start of the next row.
 */
function paintChanges(pen: Pen, changes: Change[]): void {
  const left = [...changes];
  while (left.length > 0) {
    let best = 0;
    let bestCost = Number.POSITIVE_INFINITY;
    // A line down and a backspace (4 bytes) is as near as a change in another row gets: stop looking there.
    for (let i = 0; i < left.length && bestCost > 4; i++) {
      const cost = pen.costTo(left[i]!.row, left[i]!.col, left[i]!.style);
      if (cost < bestCost) {
        best = i;
        bestCost = cost;
      }
    }
    left.splice(best, 1)[0]!.paint(pen);
  }
}

/**
 * About what turning `before` into `after` costs, in bytes: the cells that differ and a move per run of them;
 * or, once that is over `limit`, some count over it.
 */
function changeBytes(before: Cells, after: Cells, limit = Number.POSITIVE_INFINITY): number {
  // Run for every row and every candidate scroll each frame: plain loops over the arrays.
  const beforeText = before.text;
  const beforeStyle = before.style;
  const afterText = after.text;
  const afterStyle = after.style;
  const shared = Math.min(beforeText.length, afterText.length);
  let bytes = 0;
  let inRun = false;
  // Two lines in one style each (every row of the table): a cell is a UTF-16 unit of the text, and the styles
  // are the same everywhere or nowhere. Read through `ArrayLike`s that are strings in some calls and arrays
  // in others, this comparison was the largest part of a frame's diff.
  const plain = typeof beforeText === 'string' && typeof afterText === 'string';
  if (plain && shared > 0 && beforeStyle[0] !== afterStyle[0]) {
    bytes = 8 + shared;
    inRun = true;
  } else if (plain) {
    for (let i = 0; i < shared; i++) {
      if (beforeText.charCodeAt(i) === afterText.charCodeAt(i)) inRun = false;
      else {
        bytes += inRun ? 1 : 9;
        if (bytes > limit) return bytes;
        inRun = true;
      }
    }
  } else {
    for (let i = 0; i < shared; i++) {
      if (beforeText[i] === afterText[i] && beforeStyle[i] === afterStyle[i]) inRun = false;
      else {
        bytes += inRun ? 1 : 9;
        if (bytes > limit) return bytes;
        inRun = true;
      }
    }
  }
  const rest = Math.max(beforeText.length, afterText.length) - shared;
  return rest > 0 ? bytes + rest + (inRun ? 0 : 8) : bytes;
}

/**
 * Rows `top`..`bottom` (0-based, inclusive) move by `by` rows: up when positive (row r shows what row r + by
 * showed), down when negative; the rows left uncovered are blank.
 */
export interface Shift {
  top: number;
  bottom: number;
  by: number;
}

/** A block of lines moved by this many rows at most is scrolled by the terminal instead of rewritten. */
const MAX_SHIFT = 3;
/** What a scroll costs: the region, the move to its top, the lines deleted or inserted, the region reset. */
const SHIFT_BYTES = 20;

/**
 * The block of rows whose scrolling up or down by a few rows saves the most bytes, if any: when a pod
 * restarts, the table sorted by next restart loses its row and every row below moves up one, in the same
 * frame as every countdown ticks. So rows are compared by what writing them would cost, not for equality: a
 * moved row that also ticked is still two cells from the row it moved to.
 */
function findShift(before: readonly Cells[], after: readonly Cells[]): Shift | undefined {
  const base = after.map((line, r) => (line === before[r] ? 0 : changeBytes(before[r] ?? EMPTY, line)));
  // First with what a row brought in costs beyond leaving it not counted: comparing two unrelated rows then
  // stops at once (most rows, most frames). That can only make a scroll look better, so when none saves
  // anything none would; when one does, the search is made again with the losses counted, but only up to
  // a loss no run of rows can make up for (bestShift's `maxLoss`): beyond it the comparison stops.
  const first = bestShift(before, after, base, 0);
  if (!first.shift) return undefined;
  return bestShift(before, after, base, first.gains + blankGains(after, base) + 1).shift;
}

/** What the scroll's blank rows can save at most: their rows cost less blank than written as they are. */
function blankGains(after: readonly Cells[], base: readonly number[]): number {
  let gains = 0;
  for (let r = 0; r < after.length; r++) gains += Math.max(0, base[r]! - changeBytes(EMPTY, after[r]!));
  return gains;
}

/**
 * The best scroll, each row's loss (what it costs moved beyond what it costs left as it is) counted up to
 * `maxLoss`; and `gains`, the most any run of moved rows saves (a bound for the next search). A loss larger
 * than every run's savings and every blank row's (blankGains) ends a run wherever it stands, as an
 * unbounded one would: so a search with such a `maxLoss` finds what an unbounded one finds.
 */
function bestShift(
  before: readonly Cells[],
  after: readonly Cells[],
  base: readonly number[],
  maxLoss: number,
): { shift?: Shift; gains: number } {
  const n = after.length;
  // What a row left blank by the scroll costs more than leaving it as it is, summed from the top.
  const blankPenalty = [0];
  for (let r = 0; r < n; r++) blankPenalty.push(blankPenalty[r]! + changeBytes(EMPTY, after[r]!) - base[r]!);
  const penalty = (from: number, to: number) => blankPenalty[to]! - blankPenalty[from]!;
  let best: (Shift & { saved: number }) | undefined;
  let gains = 0;
  const consider = (top: number, bottom: number, by: number, saved: number) => {
    if (saved > 0 && (!best || saved > best.saved)) best = { top, bottom, by, saved };
  };
  const saving = (from: Cells | undefined, r: number) =>
    base[r]! - Math.min(moved(from, after[r]!, base[r]! + maxLoss), base[r]! + maxLoss);
  const positive = (savings: readonly number[]) => savings.reduce((sum, s) => sum + Math.max(0, s), 0);
  for (let k = 1; k <= MAX_SHIFT; k++) {
    // What showing row r + by in row r saves, for rows that move up (by = k) and down (by = -k).
    const up = after.map((_, r) => saving(before[r + k], r));
    const down = after.map((_, r) => saving(before[r - k], r));
    gains = Math.max(gains, positive(up), positive(down));
    // Up: rows first..last show the rows k below them, rows last+1..last+k are left blank. For each last,
    // the best first is the best run of savings ending there (Kadane).
    let run = 0;
    let first = 0;
    for (let last = 0; last + k < n; last++) {
      if (run <= 0) {
        run = 0;
        first = last;
      }
      run += up[last]!;
      consider(first, last + k, k, run - penalty(last + 1, last + k + 1) - SHIFT_BYTES);
    }
    // Down: rows first..last show the rows k above them, rows first-k..first-1 are left blank.
    run = 0;
    let last = n - 1;
    for (let first = n - 1; first >= k; first--) {
      if (run <= 0) {
        run = 0;
        last = first;
      }
      run += down[first]!;
      consider(first - k, last, -k, run - penalty(first - k, first) - SHIFT_BYTES);
    }
  }
  return { shift: best && { top: best.top, bottom: best.bottom, by: best.by }, gains };
}

/** changeBytes from a row the scroll brings in (none: blank). */
const moved = (from: Cells | undefined, to: Cells, limit?: number) =>
  from === to ? 0 : changeBytes(from ?? EMPTY, to, limit);

/** Scroll region, lines deleted (moving up) or inserted (moving down) at its top, region reset (cursor home). */
function paintShift(pen: Pen, { top, bottom, by }: Shift): void {
  const edit = by > 0 ? csi(by, 'M') : csi(-by, 'L');
  pen.control(
    `${ESC}[${top + 1};${bottom + 1}r${top === 0 ? `${ESC}[H` : `${ESC}[${top + 1}H`}${edit}${ESC}[r`,
    [0, 0],
  );
}

/** The screen as the terminal shows it after the scroll. */
function shifted<T>({ top, bottom, by }: Shift, rows: readonly T[], blank: T): T[] {
  const next = [...rows];
  for (let row = top; row <= bottom; row++) {
    const from = row + by;
    next[row] = from >= top && from <= bottom ? (rows[from] ?? blank) : blank;
  }
  return next;
}

export interface CellDiffWriter {
  /** Hand this to Ink as its stdout. */
  readonly stream: NodeJS.WriteStream;
  /** The screen was cleared behind Ink's back (alternate screen re-entered): redraw everything next. */
  invalidate(): void;
  /**
   * While held (the process is being stopped by Ctrl-Z, the shell owns the screen) nothing is written; the
   * frame after the release is drawn whole.
   */
  hold(held: boolean): void;
  /**
   * Calls `written` with the time (Date.now()) at which the next frame that changed the screen was written to
   * the terminal: what is drawn now is on screen only then, which under load can be well after React drew it.
   */
  afterNextFrame(written: (at: number) => void): void;
}

/**
 * The cells that fit a terminal `columns` wide. Ink's first frame after a narrowing resize is still laid out for
 * the old width (the view learns the new one a render later): written whole, its long lines would wrap on the
 * terminal into the rows below, which this writer would then believe unchanged, and keep for good.
 */
function clipped(cells: Cells, columns: number | undefined): Cells {
  if (!columns || cells.text.length <= columns) return cells;
  // A wide character across the edge would wrap whole: its left half goes, as a blank.
  const split = cells.text[columns] === '';
  const text = Array.prototype.slice.call(cells.text, 0, columns) as string[];
  const style = Array.prototype.slice.call(cells.style, 0, columns) as string[];
  if (split) text[columns - 1] = ' ';
  return { text, style };
}

/**
 * A stdout for Ink that forwards only changed cells to `target`. Everything but columns, rows, isTTY,
 * resize events and write is delegated to the real stream.
 */
export function createCellDiffWriter(target: NodeJS.WriteStream): CellDiffWriter {
  let screen: Cells[] = [];
  // The lines `screen` was parsed from: most lines of a frame are unchanged, and comparing strings is far
  // cheaper than splitting them into cells.
  let screenLines: string[] = [];
  // The lines on screen by text, and in how many rows: a line that moved to another row is not parsed again.
  // Kept from frame to frame, changed only where a row's line changes.
  const shown = new Map<string, { cells: Cells; rows: number }>();
  const showRow = (line: string, cells: Cells) => {
    const entry = shown.get(line);
    if (entry) entry.rows++;
    else shown.set(line, { cells, rows: 1 });
  };
  const hideRow = (line: string) => {
    const entry = shown.get(line)!;
    if (--entry.rows === 0) shown.delete(line);
  };
  let held = false;
  /** Inside Ink's synchronized update: what goes out with its end, in one write (or none if nothing changed). */
  let pending: string | undefined;
  /** Whether `pending` holds a frame's changes, not only Ink's control writes. */
  let pendingFrame = false;
  /** Whether the last frameBytes changed the screen. */
  let drew = false;
  let waiting: ((at: number) => void)[] = [];
  const forget = () => {
    screen = [];
    screenLines = [];
    shown.clear();
  };
  const toTerminal = (bytes: string, frame: boolean) => {
    if (!frame || waiting.length === 0) return void target.write(bytes);
    const told = waiting;
    waiting = [];
    target.write(bytes, (error?: Error | null) => {
      // Not written: the next frame that is tells them.
      if (error) return void waiting.push(...told);
      const at = Date.now();
      for (const written of told) written(at);
    });
  };
  const send = (bytes: string, frame: boolean) => {
    if (pending !== undefined) {
      pending += bytes;
      pendingFrame ||= frame;
    } else if (bytes) toTerminal(bytes, frame);
  };

  const frameBytes = (chunk: string): string => {
    let frame = chunk;
    const pen = new Pen(target.columns || Number.POSITIVE_INFINITY, target.rows || Number.POSITIVE_INFINITY);
    if (CLEAR_SCREEN.test(frame)) {
      frame = frame.replace(CLEAR_SCREEN, '');
      forget();
      pen.control(`${ESC}[H${ESC}[2J`, [0, 0]);
    }
    frame = frame.replace(ERASE_PREFIX, '');
    // A frame laid out before the terminal got shorter: its rows past the bottom are not on screen.
    const lines =
      frame === ''
        ? []
        : (frame.endsWith('\n') ? frame.slice(0, -1) : frame).split('\n').slice(0, target.rows || undefined);
    drew = false;
    let changed = lines.length !== screenLines.length;
    const next = lines.map((line, row) => {
      if (line === screenLines[row]) return screen[row]!;
      changed = true;
      return clipped(shown.get(line)?.cells ?? toCells(line), target.columns);
    });
    if (!changed) return pen.finish();
    drew = true;
    const shift = findShift(screen, next);
    if (shift) {
      paintShift(pen, shift);
      screen = shifted(shift, screen, EMPTY);
    }
    const changes: Change[] = [];
    for (let row = 0; row < Math.max(next.length, screen.length); row++) {
      const after = next[row];
      if (after === undefined) {
        if ((screen[row]?.text.length ?? 0) > 0) changes.push(eraseChange(row, 0, `${ESC}[2K`));
      } else if (after !== screen[row]) lineChanges(screen[row] ?? EMPTY, after, row, changes);
    }
    paintChanges(pen, changes);
    for (let row = 0; row < Math.max(lines.length, screenLines.length); row++) {
      const before = screenLines[row];
      const after = lines[row];
      if (before === after) continue;
      if (before !== undefined) hideRow(before);
      if (after !== undefined) showRow(after, next[row]!);
    }
    screen = next;
    screenLines = lines;
    return pen.finish();
  };

  const stream = new Proxy(target, {
    get(object, property, receiver) {
      if (property === 'write') {
        return (chunk: string | Uint8Array, ...rest: unknown[]) => {
          const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
          if (held) {
            // Dropped: the screen is not ours. Forget it, so the first frame after the release is whole.
            forget();
          } else if (text === BEGIN_SYNC) {
            if (pending) toTerminal(BEGIN_SYNC + pending, pendingFrame);
            pending = '';
            pendingFrame = false;
          } else if (text === END_SYNC && pending !== undefined) {
            if (pending) toTerminal(BEGIN_SYNC + pending + END_SYNC, pendingFrame);
            pending = undefined;
            pendingFrame = false;
          } else if (CONTROL_ONLY.test(text)) send(text, false);
          else {
            const bytes = frameBytes(text);
            send(bytes, drew);
          }
          const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
          callback?.();
          return true;
        };
      }
      const value = Reflect.get(object, property, receiver);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
  return {
    stream,
    invalidate: forget,
    hold: (on) => {
      held = on;
      forget();
    },
    afterNextFrame: (written) => {
      waiting.push(written);
    },
  };
}
