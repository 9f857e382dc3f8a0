import { plural } from '../model/plural.js';
import { dropColumns, wrapColumns, wrapWords } from './fit.js';
import type { LogBuffer, LogEntry } from './log-buffer.js';

// The log view's screen rows from its buffer: optional timestamp and container prefixes, then either wrapped
// to the width or cut at it after a horizontal offset. Pure, so every reading option is tested without Ink.

export interface LogRowOptions {
  width: number;
  wrap: boolean;
  timestamps: boolean;
  /** The "all containers" view: each line starts with its container's name. */
  containerPrefix: boolean;
  /** Columns scrolled to the right (ignored when wrapping). */
  offset: number;
  /** What to say in the marker row where older lines were dropped. */
  droppedNote?(dropped: number): string;
}

export interface LogRow {
  text: string;
  /** Index of the entry in the buffer; -1 for the dropped-lines marker. */
  entry: number;
  /** The entry's container (its prefix is coloured by it), on the entry's first row only. */
  container?: string;
  /** Columns of the container prefix at the start of `text`. */
  prefixColumns: number;
  note: boolean;
  /** A row of a failed read's note (log-buffer.ts `failed`). */
  failed?: boolean;
}

/** The text of an entry as the view prints (and saves) it. */
export function entryText(
  entry: LogEntry,
  options: Pick<LogRowOptions, 'timestamps' | 'containerPrefix'>,
): string {
  const time = options.timestamps && entry.time ? `${entry.time} ` : '';
  return `${containerPrefix(entry, options)}${time}${entry.text}`;
}

function containerPrefix(entry: LogEntry, options: Pick<LogRowOptions, 'containerPrefix'>): string {
  return options.containerPrefix && entry.container ? `[${entry.container}] ` : '';
}

export function logRows(buffer: LogBuffer, options: LogRowOptions): LogRow[] {
  const rows: LogRow[] = [];
  if (buffer.dropped > 0) {
    const text =
      options.droppedNote?.(buffer.dropped) ??
      `── ${buffer.dropped} older ${plural(buffer.dropped, 'line')} dropped ──`;
    rows.push({ text, entry: -1, prefixColumns: 0, note: true });
  }
  buffer.entries.forEach((entry, index) => {
    const text = entryText(entry, options);
    const prefixColumns = containerPrefix(entry, options).length;
    const note = entry.note === true;
    if (!options.wrap && !entry.failed) {
      rows.push({
        text: note ? text : dropColumns(text, options.offset),
        entry: index,
        container: entry.container,
        prefixColumns: options.offset > 0 && !note ? 0 : prefixColumns,
        note,
      });
      return;
    }
    // Why a container's log could not be read is prose that must be read whole: wrapped even when lines are not.
    const pieces = entry.failed ? wrapWords(text, options.width, '  ') : wrapColumns(text, options.width);
    pieces.forEach((piece, i) => {
      rows.push({
        text: piece,
        entry: index,
        container: i === 0 ? entry.container : undefined,
        prefixColumns: i === 0 ? Math.min(prefixColumns, piece.length) : 0,
        note,
        ...(entry.failed ? { failed: true } : {}),
      });
    });
  });
  return rows;
}
