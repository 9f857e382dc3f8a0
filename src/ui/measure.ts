import type { ContainerBackoff } from '../model/backoff.js';
import { visibleName } from '../model/kubectl.js';
import type { ColumnId, PodRow } from '../model/rows.js';

/**
 * The widest label NEXT RESTART shows for each kind of back-off, whatever the clock: `resets in 9m59s`, and
 * `restarting...` as --ascii draws it (2 wider than `restarting…`, wider than any wait: the kubelet waits at most
 * 5 minutes, `~4m59s`), so the width holds in either character set.
 */
const COUNTDOWN_WIDTH: Record<ContainerBackoff['kind'], number> = {
  none: 0,
  'running-after-crash': 'resets in 9m59s'.length,
  waiting: 'restarting...'.length,
  'pending-restart': 'restarting...'.length,
};

/** The columns whose width follows their content. */
const MEASURED = ['context', 'namespace', 'name', 'status', 'cause', 'restarts', 'next'] as const;
type Measured = (typeof MEASURED)[number];

/**
 * A row's cell widths in the columns that follow their content (RESTARTS and NEXT RESTART by their widest
 * possible text, since they change every second). A layout hint only: UTF-16 length is enough (pod and namespace names are
 * DNS labels) and keeps this cheap for 10,000 rows; cells are still cut by their real terminal width when drawn.
 */
function cellWidths(row: PodRow): Record<Measured, number> {
  return {
    // As contextName shows it: a name with a control character is drawn ANSI-C quoted, wider than it is.
    context: visibleName(row.context).length,
    namespace: row.namespace.length,
    name: row.name.length,
    status: row.summary.status.length,
    cause: row.causeId?.length ?? 0,
    // "7 (4h59m ago)": the count, then HumanDuration (at most 5 characters) in " (… ago)".
    restarts: row.summary.restarts === 0 ? 1 : String(row.summary.restarts).length + 12,
    next: COUNTDOWN_WIDTH[row.backoff.kind],
  };
}

/**
 * The widest cell of each measured column over every shown row (not only the visible window, so columns do
 * not jump while scrolling), kept up to date as rows come and go: how many rows have each width, per column,
 * so a row leaving costs its own cells rather than a pass over every row. Those counts are made only when a
 * first row comes or goes: a filter being typed measures its rows once per key, and counting them would cost
 * more than that.
 */
export class ContentWidths {
  private counts: Map<Measured, Map<number, number>> | undefined;
  private cached: Partial<Record<ColumnId, number>> | undefined;

  /** `rows` must not change afterwards (the table copies its arrays on change). */
  constructor(private readonly rows: readonly PodRow[] = []) {}

  add(row: PodRow): void {
    this.change(row, 1);
  }

  remove(row: PodRow): void {
    this.change(row, -1);
  }

  private change(row: PodRow, by: 1 | -1): void {
    if (this.counts === undefined) {
      this.counts = new Map(MEASURED.map((id) => [id, new Map()]));
      for (const known of this.rows) this.tally(known, 1);
    }
    this.tally(row, by);
  }

  private tally(row: PodRow, by: 1 | -1): void {
    const cells = cellWidths(row);
    for (const id of MEASURED) {
      const counts = this.counts!.get(id)!;
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
    if (this.cached !== undefined) return this.cached;
    const widths: Partial<Record<ColumnId, number>> = {};
    if (this.counts) for (const id of MEASURED) widths[id] = Math.max(0, ...this.counts.get(id)!.keys());
    else {
      for (const id of MEASURED) widths[id] = 0;
      for (const row of this.rows) {
        const cells = cellWidths(row);
        for (const id of MEASURED) if (cells[id] > widths[id]!) widths[id] = cells[id];
      }
    }
    this.cached = widths;
    return widths;
  }
}
