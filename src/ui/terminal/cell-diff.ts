import stringWidth from 'string-width';
import { SIMPLE_NARROW } from '../fit.js';

// Over SSH every byte counts. Ink's incrementalRendering rewrites every changed line whole, so a screen of
// ticking countdowns still costs ~4.5 KB/s (reference/ink-notes.md §3). This sits between Ink and the
// terminal: Ink renders in its standard mode (each frame = erase the previous lines, then the whole frame,
// text and SGR only), and this keeps the last frame as a grid of cells and sends only the cells that
// changed, each run placed with an absolute cursor move. It relies on what crashtop guarantees: the frame
// starts at the top-left of the alternate screen and is shorter than the terminal (so it never scrolls).

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

interface Cell {
  /** The grapheme; '' for the second column of a wide character. */
  text: string;
  /** Canonical SGR parameters of the cell's style ('' = default). */
  style: string;
}

const ESC = '\u001b';
const ERASE_PREFIX = /^(?:\u001b\[2K(?:\u001b\[1A)?)*(?:\u001b\[G)?/;
const CLEAR_SCREEN = /^\u001b\[2J\u001b\[3J\u001b\[H/;
const TOKEN = /\u001b\[([0-9;:]*)m|\u001b\[[0-9;?]*[A-Za-z]/g;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Writes Ink makes that are not frames: pass them through untouched. */
const CONTROL_ONLY = /^(?:\u001b\[\?(?:2026|25|1049)[hl]|\u001b\[H)+$/;

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

/** A frame line as cells. Cursor and erase sequences inside a line cannot occur in a frame and are dropped. */
export function toCells(line: string): Cell[] {
  const cells: Cell[] = [];
  let style: Style = {};
  let params = '';
  const pushText = (text: string) => {
    if (SIMPLE_NARROW.test(text)) {
      for (const ch of text) cells.push({ text: ch, style: params });
      return;
    }
    for (const { segment } of segmenter.segment(text)) {
      const width = stringWidth(segment);
      if (width === 0) {
        // A combining mark or zero-width joiner belongs to the previous cell.
        if (cells.length > 0) cells[cells.length - 1]!.text += segment;
        continue;
      }
      cells.push({ text: segment, style: params });
      for (let i = 1; i < width; i++) cells.push({ text: '', style: params });
    }
  };
  let last = 0;
  for (const match of line.matchAll(TOKEN)) {
    pushText(line.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[1] !== undefined) {
      style = applySgr(style, match[1]);
      params = styleParams(style);
    }
  }
  pushText(line.slice(last));
  return cells;
}

const sameCell = (a: Cell | undefined, b: Cell | undefined) =>
  a !== undefined && b !== undefined && a.text === b.text && a.style === b.style;

/**
 * A run of unchanged cells at least this long is jumped over with a cursor move (`ESC[nC`, 4–5 bytes)
 * instead of being written again: a second's tick changes a row's RESTARTS age, countdown, bar and AGE, with
 * 10–40 unchanged columns between them.
 */
const SKIP_CELLS = 5;

/** Bytes that turn `before` into `after` on screen row `row` (1-based): only the runs of cells that changed. */
export function diffLine(before: readonly Cell[], after: readonly Cell[], row: number): string {
  let start = 0;
  while (start < after.length && sameCell(before[start], after[start])) start++;
  // Never start in the middle of a wide character.
  while (start > 0 && after[start]?.text === '') start--;
  if (start >= after.length && before.length <= after.length) return '';
  let end = after.length;
  if (before.length === after.length) {
    while (end > start && sameCell(before[end - 1], after[end - 1])) end--;
    while (end < after.length && after[end]?.text === '') end++;
  }
  let out = `${ESC}[${row};${start + 1}H`;
  let style = '';
  for (let i = start; i < end; i++) {
    const cell = after[i]!;
    // (On the right half of a wide character the cursor is already past it: a skip starts on a whole one.)
    if (cell.text !== '' && sameCell(before[i], cell)) {
      let same = i + 1;
      while (same < end && sameCell(before[same], after[same])) same++;
      // Resume on a whole character: a run never starts on the right half of a wide one.
      let resume = same;
      while (resume > i && after[resume]?.text === '') resume--;
      if (resume - i >= SKIP_CELLS) {
        // Cursor forward: the cursor stands on cell i, just after what was written.
        out += `${ESC}[${resume - i}C`;
        i = resume - 1;
        continue;
      }
    }
    if (cell.text === '') continue;
    if (cell.style !== style) {
      out += `${ESC}[0${cell.style ? `;${cell.style}` : ''}m`;
      style = cell.style;
    }
    out += cell.text;
  }
  if (style) out += `${ESC}[0m`;
  if (after.length < before.length && end === after.length) out += `${ESC}[K`;
  return out;
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
/** Fewer moved lines than this are cheaper to rewrite than to scroll (about 20 bytes). */
const MIN_SHIFTED_LINES = 3;

/**
 * The longest block of lines that moved up or down a few rows between two frames. The table sorted by next
 * restart does this every time a pod restarts: its row leaves and every row below it moves up one, which
 * rewritten costs a whole screen of text and scrolled (a scroll region and a line deletion) about 20 bytes.
 */
export function findShift(before: readonly string[], after: readonly string[]): Shift | undefined {
  let best: { start: number; length: number; by: number } | undefined;
  for (let by = -MAX_SHIFT; by <= MAX_SHIFT; by++) {
    if (by === 0) continue;
    let start = -1;
    for (let i = 0; i <= after.length; i++) {
      const moved =
        i < after.length && after[i] !== before[i] && after[i] !== '' && after[i] === before[i + by];
      if (moved && start < 0) start = i;
      if (moved || start < 0) continue;
      const length = i - start;
      if (length >= MIN_SHIFTED_LINES && (!best || length > best.length)) best = { start, length, by };
      start = -1;
    }
  }
  if (!best) return undefined;
  const last = best.start + best.length - 1;
  return {
    top: Math.min(best.start, best.start + best.by),
    bottom: Math.max(last, last + best.by),
    by: best.by,
  };
}

/** Scroll region, lines deleted (moving up) or inserted (moving down) at its top, region reset. */
function scrollBytes({ top, bottom, by }: Shift): string {
  const edit = by > 0 ? `${ESC}[${by}M` : `${ESC}[${-by}L`;
  return `${ESC}[${top + 1};${bottom + 1}r${ESC}[${top + 1};1H${edit}${ESC}[r`;
}

/** The screen as the terminal shows it after the scroll. */
function shifted(
  { top, bottom, by }: Shift,
  screen: readonly Cell[][],
  lines: readonly string[],
): [Cell[][], string[]] {
  const cells = [...screen];
  const text = [...lines];
  for (let row = top; row <= bottom; row++) {
    const from = row + by;
    const inside = from >= top && from <= bottom;
    cells[row] = inside ? (screen[from] ?? []) : [];
    text[row] = inside ? (lines[from] ?? '') : '';
  }
  return [cells, text];
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
}

/**
 * A stdout for Ink that forwards only changed cells to `target`. Everything but columns, rows, isTTY,
 * resize events and write is delegated to the real stream.
 */
export function createCellDiffWriter(target: NodeJS.WriteStream): CellDiffWriter {
  let screen: Cell[][] = [];
  // The lines `screen` was parsed from: most lines of a frame are unchanged, and comparing strings is far
  // cheaper than splitting them into cells.
  let screenLines: string[] = [];
  let held = false;
  const writeFrame = (chunk: string) => {
    let frame = chunk;
    let out = '';
    if (CLEAR_SCREEN.test(frame)) {
      frame = frame.replace(CLEAR_SCREEN, '');
      screen = [];
      screenLines = [];
      out += `${ESC}[H${ESC}[2J`;
    }
    frame = frame.replace(ERASE_PREFIX, '');
    const lines = frame.endsWith('\n') ? frame.slice(0, -1).split('\n') : frame.split('\n');
    const nextLines = frame === '' ? [] : lines;
    const shift = findShift(screenLines, nextLines);
    if (shift) {
      out += scrollBytes(shift);
      [screen, screenLines] = shifted(shift, screen, screenLines);
    }
    const next = nextLines.map((line, row) => (line === screenLines[row] ? screen[row]! : toCells(line)));
    for (let row = 0; row < Math.max(next.length, screen.length); row++) {
      const after = next[row];
      if (after === undefined) out += `${ESC}[${row + 1};1H${ESC}[2K`;
      else if (after !== screen[row]) out += diffLine(screen[row] ?? [], after, row + 1);
    }
    screen = next;
    screenLines = nextLines;
    if (out) target.write(out);
  };

  const stream = new Proxy(target, {
    get(object, property, receiver) {
      if (property === 'write') {
        return (chunk: string | Uint8Array, ...rest: unknown[]) => {
          const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
          if (held) {
            // Dropped: the screen is not ours. Forget it, so the first frame after the release is whole.
            screen = [];
            screenLines = [];
          } else if (CONTROL_ONLY.test(text)) target.write(text);
          else writeFrame(text);
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
    invalidate: () => {
      screen = [];
      screenLines = [];
    },
    hold: (on) => {
      held = on;
      screen = [];
      screenLines = [];
    },
  };
}
