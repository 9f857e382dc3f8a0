import { countdown, serverNow } from '../model/backoff.js';
import { columns } from '../model/columns.js';
import { humanAge } from '../model/duration.js';
import { plural } from '../model/plural.js';
import type { ColumnId, OwnerGroup, PlacedColumn, PodRow, TableSort } from '../model/rows.js';
import { COLUMN_GAP } from '../model/rows.js';
import { formatRestarts } from '../model/status.js';
import { contextLabel, contextName } from './context-label.js';
import { fitWidth, truncate } from './fit.js';
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
  /** The CONTEXT column's text for each context (contextCells), when it differs from the name. */
  contextCells?: ReadonlyMap<string, string>,
): string {
  switch (id) {
    case 'context':
      return contextCells?.get(row.context) ?? contextName(row.context);
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

/** Columns whose text the clock never changes: fitted once per row and layout, not on every tick. */
const TIMELESS: ReadonlySet<ColumnId> = new Set(['context', 'namespace', 'name', 'ready', 'status', 'cause']);

interface TimelessCells {
  placed: readonly PlacedColumn[];
  theme: Theme;
  branch?: 'middle' | 'last';
  /** By column index: the fitted text, or undefined for a column that ticks or is not fitted yet. */
  cells: (string | undefined)[];
}

// A changed pod is a new row (the row builder keeps unchanged rows), so a row's timeless cells stay its own.
const timelessCells = new WeakMap<PodRow, TimelessCells>();

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
    /** A grouped pod: its first cell starts with a branch of its owner's line (└ for the group's last). */
    branch?: 'middle' | 'last';
    width: number;
  },
): string {
  const now = serverNow(options.localNowMs, options.clockOffsetMs);
  const { ellipsis } = options.theme.glyphs;
  const { branch, theme } = options;
  let kept = timelessCells.get(row);
  if (kept === undefined || kept.placed !== placed || kept.theme !== theme || kept.branch !== branch) {
    kept = { placed, theme, branch, cells: [] };
    timelessCells.set(row, kept);
  }
  const { cells: fitted } = kept;
  const cells = placed.map((p, i) => {
    const timeless = TIMELESS.has(p.column.id);
    if (timeless && fitted[i] !== undefined) return fitted[i];
    const text = cellText(row, p.column.id, now, theme, p.width, p.contextCells);
    let cell: string;
    if (i > 0 || branch === undefined) cell = fitWidth(text, p.width, p.column.align, ellipsis, p.column.cut);
    else {
      const glyph = branch === 'last' ? theme.glyphs.lastBranch : theme.glyphs.branch;
      cell = `${glyph} ${fitWidth(text, p.width - BRANCH_INDENT, p.column.align, ellipsis, p.column.cut)}`;
    }
    if (timeless) fitted[i] = cell;
    return cell;
  });
  // Trailing blanks cost bytes on every redraw over SSH and show nothing.
  return truncate(options.gutter + cells.join(' '.repeat(COLUMN_GAP)), options.width, ellipsis).trimEnd();
}

/** Columns reserved left of the table for the cursor and the bell mark. */
export const GUTTER = 2;

/** Columns a grouped pod's first cell gives to its owner's branch (`└ `). */
export const BRANCH_INDENT = 2;

/** The direction mark of a sort: ▲ ascending, ▼ descending (^ v in ASCII). */
export function sortMark(sort: TableSort, theme: Theme): string {
  return sort.direction === 'ascending' ? theme.glyphs.ascending : theme.glyphs.descending;
}

/** The column titles; the sorted column's carries the sort's direction (its title cut if it must be). */
export function headerLine(
  placed: readonly PlacedColumn[],
  width: number,
  theme: Theme,
  sort?: TableSort,
): string {
  const cells = placed.map((p) => {
    const { ellipsis } = theme.glyphs;
    if (p.column.id !== sort?.column) return fitWidth(p.column.title, p.width, p.column.align, ellipsis);
    const mark = sortMark(sort, theme);
    const title = truncate(p.column.title, p.width - columns(mark), '');
    return fitWidth(title + mark, p.width, p.column.align, ellipsis);
  });
  return truncate(
    ' '.repeat(GUTTER) + cells.join(' '.repeat(COLUMN_GAP)),
    width,
    theme.glyphs.ellipsis,
  ).trimEnd();
}

/**
 * An owner's header line, its pods under it: `Deployment shop/payments-api  3 pods, 2 crash-looping: 2
 * CrashLoopBackOff, 1 Running`. A stuck rollout (groupRollout) comes right after the name, before the counts
 * that a narrow terminal cuts. With several contexts the context comes before the namespace (`Deployment east:
 * shop/payments-api`). Never selected; GUTTER columns of indent so it lines up with the cells.
 */
export function groupLine(
  group: OwnerGroup,
  width: number,
  theme: Theme,
  rollout?: string,
  multiContext = false,
): string {
  // Two clusters running the same deploy have owners of the same name: the line names its cluster as the
  // views' titles do (`Logs east: shop/…`).
  const cluster = multiContext ? `${contextLabel(group.context, width, theme.glyphs.ellipsis)}: ` : '';
  const where = `${cluster}${group.namespace ? `${sanitizeLine(group.namespace)}/` : ''}`;
  const pods = `${group.pods.length} ${plural(group.pods.length, 'pod')}`;
  const looping = group.crashLooping > 0 ? `, ${group.crashLooping} crash-looping` : '';
  const counts = group.byStatus.map(([status, n]) => `${n} ${sanitizeLine(status)}`).join(', ');
  const stuck = rollout === undefined ? '' : `  ${sanitizeLine(rollout)} ${theme.glyphs.separator}`;
  const text = `${' '.repeat(GUTTER)}${group.kind} ${where}${sanitizeLine(group.name)}${stuck}  ${pods}${looping}: ${counts}`;
  return truncate(text, width, theme.glyphs.ellipsis);
}
