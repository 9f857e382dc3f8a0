import type { ColumnId, PodRow } from '../model/rows.js';

/** The columns whose width follows their content. */
const MEASURED = ['context', 'namespace', 'name', 'status', 'cause', 'restarts'] as const;
type Measured = (typeof MEASURED)[number];

/**
 * A row's cell widths in the columns that follow their content (RESTARTS by its widest possible text, since
 * its age part changes every second). A layout hint only: UTF-16 length is enough (pod and namespace names are
 * DNS labels) and keeps this cheap for 10,000 rows; cells are still cut by their real terminal width when drawn.
 */
function cellWidths(row: PodRow): Record<Measured, number> {
  return {
    context: row.context.length,
    namespace: row.namespace.length,
    name: row.name.length,
    status: row.summary.status.length,
    cause: row.causeId?.length ?? 0,
    // "7 (4h59m ago)": the count, then HumanDuration (at most 5 characters) in " (… ago)".
    restarts: row.summary.restarts === 0 ? 1 : String(row.summary.restarts).length + 12,
  };
}

/**
 * The widest cell of each measured column over every shown row (not only the visible window, so columns do
 * not jump while scrolling), kept up to date as rows come and go: how many rows have each width, per column,
 * so a row leaving costs its own cells rather than a pass over every row.
 */
export class ContentWidths {
  private readonly counts = new Map<Measured, Map<number, number>>(MEASURED.map((id) => [id, new Map()]));
  private cached: Partial<Record<ColumnId, number>> | undefined;

  add(row: PodRow): void {
    this.change(row, 1);
  }

  remove(row: PodRow): void {
    this.change(row, -1);
  }

  private change(row: PodRow, by: 1 | -1): void {
    const cells = cellWidths(row);
    for (const id of MEASURED) {
      const counts = this.counts.get(id)!;
      const width = cells[id];
      const count = (counts.get(width) ?? 0) + by;
      if (count === 0) counts.delete(width);
      else counts.set(width, count);
      // A new widest cell, or the last of the widest gone: the maximum moves.
      if (this.cached && (by > 0 ? width > this.cached[id]! : width === this.cached[id] && count === 0))
        this.cached = undefined;
    }
  }

  /** The same object until a column's widest cell changes. */
  widths(): Partial<Record<ColumnId, number>> {
    if (this.cached === undefined) {
      const widths: Partial<Record<ColumnId, number>> = {};
      for (const id of MEASURED) widths[id] = Math.max(0, ...this.counts.get(id)!.keys());
      this.cached = widths;
    }
    return this.cached;
  }
}
