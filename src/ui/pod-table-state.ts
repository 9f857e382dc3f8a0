import {
  type ColumnId,
  crashLoopKeys,
  filterRows,
  headerCounts,
  narrows,
  type PodRow,
  type RowChanges,
  type RowFilter,
  rowMatcher,
  rowOrder,
  sortRows,
  type TableLine,
  type TableSort,
  tableLines,
} from '../model/rows.js';
import { ContentWidths } from './measure.js';

// The pod table's content kept up to date as rows change: a watch event moves a few rows, so the sorted and
// filtered rows take them out and put them back by binary search, and the counts, column widths and namespaces
// are counted up and down, instead of filtering, sorting and measuring 50,000 rows again. Everything is built
// again only when the filter, the sort or the grouping changes, or when a change moves too many rows for that
// to pay. What it gives out never changes afterwards (React compares by identity): a change copies the arrays
// it touches, a copy of pointers, not a pass over the rows.

export interface TableParams {
  filter: RowFilter;
  sort: TableSort;
  byOwner: boolean;
}

export interface TableContent {
  /** The rows the filter keeps, sorted. */
  shownRows: readonly PodRow[];
  /** shownRows as the table's lines (under their owners' lines when grouped). */
  lines: readonly TableLine[];
  /** The header's counts of shownRows (headerCounts). */
  counts: readonly [label: string, count: number][];
  /** The widest cell of each column over shownRows (ContentWidths). */
  measured: Partial<Record<ColumnId, number>>;
  /** Every row's namespace, sorted, each once. */
  namespaces: readonly string[];
  /** How many rows there are, shown or not. */
  total: number;
  /** How many rows, shown or not, are in the namespace picked (`n`, `:ns`): `total` when none is picked. */
  inNamespace: number;
  /** Keys of the rows in a crash loop, shown or not (crashLoopKeys). */
  crashLoops: ReadonlySet<string>;
}

/**
 * Above this many changed rows (and this share of all rows: a rebuild filters them all), filtering and sorting
 * everything again is cheaper.
 */
const MIN_REBUILD_CHANGES = 64;
const REBUILD_SHARE = 1 / 8;

export class PodTableState {
  private params: TableParams | undefined;
  private shown: PodRow[] = [];
  private lines: TableLine[] = [];
  private widths = new ContentWidths();
  /** Shown rows per STATUS, and in a crash loop. */
  private statuses = new Map<string, number>();
  private looping = 0;
  private counts: [string, number][] = [];
  /** Rows per namespace (all rows). */
  private readonly perNamespace = new Map<string, number>();
  private namespaces: string[] = [];
  private total = 0;
  private crashLoops = new Set<string>();
  private content: TableContent | undefined;

  /**
   * The content for these rows: `changes` says what changed since the last call; undefined, or the first
   * call, builds everything from `all`.
   */
  update(all: () => readonly PodRow[], changes: RowChanges | undefined, params: TableParams): TableContent {
    const first = this.content === undefined || changes === undefined;
    const fresh = first ? undefined : changes;
    const moved = fresh ? fresh.added.length + fresh.removed.length : 0;
    if (first) this.countAll(all());
    else if (fresh && moved > 0) this.countChanges(fresh);

    const last = this.params;
    this.params = params;
    const sameSort =
      last?.sort.column === params.sort.column && last.sort.direction === params.sort.direction;
    const sameFilter =
      last !== undefined &&
      last.filter.text === params.filter.text &&
      last.filter.namespace === params.filter.namespace &&
      last.filter.unhealthyOnly === params.filter.unhealthyOnly;
    const sameLines = last?.byOwner === params.byOwner;
    if (first || !last || !sameSort || !sameFilter || moved > this.rebuildAbove()) {
      // Typing more of a text filter narrows what the last key showed, already sorted.
      const narrowed = !first && last && moved === 0 && sameSort && narrows(last.filter, params.filter);
      const rows = narrowed ? this.shown : all();
      const kept = narrowed
        ? filterRows(rows, params.filter)
        : sortRows(filterRows(rows, params.filter), params.sort);
      // The first keys of a name (`s`, `se`…) often keep every row: at 50,000 rows, lines, counts and widths
      // taken again for each were most of a key's frame.
      if (narrowed && sameLines && kept.length === rows.length && this.content) return this.content;
      this.showAll(kept);
    } else {
      if (moved === 0 && sameLines && this.content) return this.content;
      if (fresh && moved > 0) this.showChanges(fresh, sameLines);
      if (!sameLines) this.lines = tableLines(this.shown, params);
    }
    this.content = {
      shownRows: this.shown,
      lines: this.lines,
      counts: this.counts,
      measured: this.widths.widths(),
      namespaces: this.namespaces,
      total: this.total,
      inNamespace:
        params.filter.namespace === undefined
          ? this.total
          : (this.perNamespace.get(params.filter.namespace) ?? 0),
      crashLoops: this.crashLoops,
    };
    return this.content;
  }

  private rebuildAbove(): number {
    return Math.max(MIN_REBUILD_CHANGES, this.total * REBUILD_SHARE);
  }

  /** Namespaces, the total and the crash loops, over every row. */
  private countAll(rows: readonly PodRow[]): void {
    this.perNamespace.clear();
    for (const row of rows)
      this.perNamespace.set(row.namespace, (this.perNamespace.get(row.namespace) ?? 0) + 1);
    this.namespaces = [...this.perNamespace.keys()].sort();
    this.total = rows.length;
    this.crashLoops = crashLoopKeys(rows);
  }

  private countChanges({ removed, added }: RowChanges): void {
    let namespaces = false;
    // Most changes at rest are crash-looping rows built again still looping: the set of crash loops (500 keys
    // at 10,000 pods) is copied only when a key leaves it or joins it, and keeps its identity otherwise.
    const leaving = new Set<string>();
    const joining: string[] = [];
    for (const row of removed) {
      const n = this.perNamespace.get(row.namespace)! - 1;
      if (n === 0) {
        this.perNamespace.delete(row.namespace);
        namespaces = true;
      } else this.perNamespace.set(row.namespace, n);
      if (row.crashLoop) leaving.add(row.key);
    }
    for (const row of added) {
      const n = this.perNamespace.get(row.namespace) ?? 0;
      this.perNamespace.set(row.namespace, n + 1);
      if (n === 0) namespaces = true;
      if (row.crashLoop && !leaving.delete(row.key) && !this.crashLoops.has(row.key)) joining.push(row.key);
    }
    if (namespaces) this.namespaces = [...this.perNamespace.keys()].sort();
    if (leaving.size > 0 || joining.length > 0) {
      const loops = new Set(this.crashLoops);
      for (const key of leaving) loops.delete(key);
      for (const key of joining) loops.add(key);
      this.crashLoops = loops;
    }
    this.total += added.length - removed.length;
  }

  private showAll(rows: PodRow[]): void {
    this.shown = rows;
    this.lines = tableLines(rows, this.params!);
    this.widths = new ContentWidths(rows);
    this.statuses.clear();
    this.looping = 0;
    for (const row of rows) this.countStatus(row, 1);
    this.counts = this.headerCounts();
  }

  /**
   * Takes the removed rows out and puts the added ones in, each found by binary search, then copies the shown
   * rows once (splicing each would move the rows after it: changed × shown; comparing each shown row with
   * the added ones would cost a comparison per row).
   */
  private showChanges({ removed, added }: RowChanges, sameLines: boolean): void {
    const { filter, sort, byOwner } = this.params!;
    const matches = rowMatcher(filter);
    const order = rowOrder(sort);
    const old = this.shown;
    const cuts: number[] = [];
    for (const row of removed) {
      if (!matches(row)) continue;
      const at = lowerBound(old, row, order);
      if (old[at] === row) cuts.push(at);
    }
    // Each added row goes before the first old row that does not sort before it; equal places in sort order.
    const puts = added
      .filter(matches)
      .map((row) => ({ row, at: lowerBound(old, row, order) }))
      .sort((a, b) => a.at - b.at || order(a.row, b.row));
    if (cuts.length === 0 && puts.length === 0) return;
    cuts.sort((a, b) => a - b);
    // Ungrouped, a row is a line at the same index; grouped lines are drawn again from the rows.
    const oldLines = byOwner || !sameLines ? undefined : this.lines;
    // The kept runs of old rows (copied natively by slice and concat) with the added rows between them.
    const rowParts: PodRow[][] = [];
    const lineParts: TableLine[][] = [];
    let from = 0;
    const keep = (to: number) => {
      if (to <= from) return;
      rowParts.push(old.slice(from, to));
      if (oldLines) lineParts.push(oldLines.slice(from, to));
    };
    let cut = 0;
    for (let put = 0; put <= puts.length; put++) {
      const at = puts[put]?.at ?? old.length;
      for (; cut < cuts.length && cuts[cut]! < at; cut++) {
        keep(cuts[cut]!);
        this.count(old[cuts[cut]!]!, -1);
        from = cuts[cut]! + 1;
      }
      keep(at);
      from = Math.max(from, at);
      const row = puts[put]?.row;
      if (row === undefined) break;
      rowParts.push([row]);
      if (oldLines) lineParts.push([{ kind: 'pod', key: row.key, row }]);
      this.count(row, 1);
    }
    const shown = joined(rowParts);
    const lines = oldLines && joined(lineParts);
    this.shown = shown;
    // With the grouping switched, update() draws the lines again anyway.
    if (lines) this.lines = lines;
    else if (sameLines) this.lines = tableLines(shown, { byOwner });
    this.counts = this.headerCounts();
  }

  private count(row: PodRow, by: 1 | -1): void {
    if (by > 0) this.widths.add(row);
    else this.widths.remove(row);
    this.countStatus(row, by);
  }

  private countStatus(row: PodRow, by: 1 | -1): void {
    const { status } = row.summary;
    const n = (this.statuses.get(status) ?? 0) + by;
    if (n === 0) this.statuses.delete(status);
    else this.statuses.set(status, n);
    if (row.crashLoop) this.looping += by;
  }

  private headerCounts(): [string, number][] {
    return headerCounts(this.looping, this.statuses);
  }
}

/** The first index whose row does not sort before `row`. */
function lowerBound(rows: readonly PodRow[], row: PodRow, order: (a: PodRow, b: PodRow) => number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (order(rows[mid]!, row) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The parts one after the other: concat copies natively (flat() is ten times slower); bounded arguments. */
function joined<T>(parts: readonly T[][]): T[] {
  let out: T[] = [];
  for (let i = 0; i < parts.length; i += 4096) out = out.concat(...parts.slice(i, i + 4096));
  return out;
}
