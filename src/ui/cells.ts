import { countdown, serverNow } from '../model/backoff.js';
import { humanAge } from '../model/duration.js';
import type { ColumnId, OwnerGroup, PlacedColumn, PodRow } from '../model/rows.js';
import { COLUMN_GAP } from '../model/rows.js';
import { formatRestarts } from '../model/status.js';
import { columns, fitWidth, truncate } from './fit.js';
import { sanitizeLine } from './sanitize.js';
import type { Theme } from './theme.js';

// The text of table cells. Everything that came from the cluster is sanitised here, once, on its way
// to the screen; times are computed on the API server's clock.

const BAR_CELLS = 5;

export function bar(fraction: number, theme: Theme): string {
  const full = Math.round(Math.min(1, Math.max(0, fraction)) * BAR_CELLS);
  return theme.glyphs.barFull.repeat(full) + theme.glyphs.barEmpty.repeat(BAR_CELLS - full);
}

/**
 * NEXT RESTART: the countdown, then a small bar of how much of the backoff step has passed. The bar goes
 * first when the column is narrower than both: a countdown is never cut (`restarting… █…` said nothing).
 */
export function nextRestartCell(row: PodRow, serverNowMs: number, theme: Theme, width = Infinity): string {
  const c = countdown(row.backoff, serverNowMs);
  const label = theme.text(c.label);
  if (c.fraction === undefined || !label) return label;
  const withBar = `${label} ${bar(c.fraction, theme)}`;
  return columns(withBar) <= width ? withBar : label;
}

export function cellText(
  row: PodRow,
  id: ColumnId,
  serverNowMs: number,
  theme: Theme,
  width?: number,
): string {
  switch (id) {
    case 'context':
      return sanitizeLine(row.context);
    case 'namespace':
      return sanitizeLine(row.namespace);
    case 'name':
      return sanitizeLine(row.name);
    case 'ready':
      return row.summary.ready;
    case 'status':
      return sanitizeLine(row.summary.status);
    case 'restarts':
      return formatRestarts(row.summary, serverNowMs);
    case 'next':
      return nextRestartCell(row, serverNowMs, theme, width);
    case 'cause':
      return row.causePending ? theme.glyphs.pending : (row.causeId ?? '');
    case 'age':
      return row.createdAtMs === undefined ? '' : humanAge(serverNowMs - row.createdAtMs);
  }
}

/** A whole pod line, exactly `width` columns (never wider, so Ink never wraps it). */
export function podLine(
  row: PodRow,
  placed: readonly PlacedColumn[],
  options: {
    localNowMs: number;
    clockOffsetMs: number;
    theme: Theme;
    /** GUTTER columns before the cells: selection cursor and bell mark. */
    gutter: string;
    /** Grouped pods are indented under their owner, inside the NAME cell. */
    indent: boolean;
    width: number;
  },
): string {
  const now = serverNow(options.localNowMs, options.clockOffsetMs);
  const { ellipsis } = options.theme.glyphs;
  const cells = placed.map((p) => {
    const text = cellText(row, p.column.id, now, options.theme, p.width);
    const shown = p.column.id === 'name' && options.indent ? `  ${text}` : text;
    return fitWidth(shown, p.width, p.column.align, ellipsis, p.column.cut);
  });
  // Trailing blanks cost bytes on every redraw over SSH and show nothing.
  return truncate(options.gutter + cells.join(' '.repeat(COLUMN_GAP)), options.width, ellipsis).trimEnd();
}

/** Columns reserved left of the table for the cursor and the bell mark. */
export const GUTTER = 2;

export function headerLine(placed: readonly PlacedColumn[], width: number, theme: Theme): string {
  const cells = placed.map((p) => fitWidth(p.column.title, p.width, p.column.align, theme.glyphs.ellipsis));
  return truncate(
    ' '.repeat(GUTTER) + cells.join(' '.repeat(COLUMN_GAP)),
    width,
    theme.glyphs.ellipsis,
  ).trimEnd();
}

/** An owner group line: `Deployment/payments-api  4 pods, 3 unhealthy: 3 CrashLoopBackOff, 1 Running`. */
export function groupLine(group: OwnerGroup, expanded: boolean, width: number, theme: Theme): string {
  const marker = expanded ? theme.glyphs.expanded : theme.glyphs.collapsed;
  const where = group.namespace ? `${sanitizeLine(group.namespace)}/` : '';
  const counts = group.byStatus.map(([status, n]) => `${n} ${sanitizeLine(status)}`).join(', ');
  const pods = `${group.pods.length} pod${group.pods.length === 1 ? '' : 's'}`;
  const text = `  ${marker} ${group.kind} ${where}${sanitizeLine(group.name)}  ${pods}, ${group.unhealthy} unhealthy: ${counts}`;
  return truncate(text, width, theme.glyphs.ellipsis);
}
