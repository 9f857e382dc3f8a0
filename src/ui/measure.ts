import type { ColumnId, PodRow } from '../model/rows.js';

/**
 * The widest cell of the columns whose width follows their content (RESTARTS by its widest possible
 * text, since its age part changes every second), over every shown row (not only the
 * visible window, so columns do not jump while scrolling). A layout hint only: UTF-16 length is enough
 * (pod and namespace names are DNS labels) and keeps this cheap for 10,000 rows; cells are still cut
 * by their real terminal width when drawn.
 */
export function contentWidths(rows: readonly PodRow[]): Partial<Record<ColumnId, number>> {
  let context = 0;
  let namespace = 0;
  let name = 0;
  let status = 0;
  let cause = 0;
  let restarts = 0;
  for (const row of rows) {
    // "7 (4h59m ago)": the count, then HumanDuration (at most 5 characters) in " (… ago)".
    restarts = Math.max(restarts, row.summary.restarts === 0 ? 1 : String(row.summary.restarts).length + 12);
    context = Math.max(context, row.context.length);
    namespace = Math.max(namespace, row.namespace.length);
    name = Math.max(name, row.name.length);
    status = Math.max(status, row.summary.status.length);
    cause = Math.max(cause, row.causeId?.length ?? 0);
  }
  return { context, namespace, name, status, cause, restarts };
}
