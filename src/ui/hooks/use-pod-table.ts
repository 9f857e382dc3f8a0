import { useMemo, useRef } from 'react';
import type { ClusterSnapshot } from '../../kube/source.js';
import type { BackoffCurve } from '../../model/backoff.js';
import {
  createRowBuilder,
  filterRows,
  headerCounts,
  narrows,
  type PodRow,
  type RowFilter,
  sortRows,
  type TableSort,
  tableLines,
} from '../../model/rows.js';
import { contentWidths } from '../measure.js';

export interface PodTableInput {
  snapshot: ClusterSnapshot;
  /** Local epoch ms of the clock's last tick: rows whose crash loop ended by then are built again. */
  localNowMs: number;
  curve?: BackoffCurve;
  filter: RowFilter;
  sort: TableSort;
  byOwner: boolean;
}

/**
 * The table's content from a snapshot: rows (rebuilt only for pods that changed, or whose crash loop ended),
 * the shown and sorted subset, its lines (grouped or not), the header's counts (of what is shown) and the
 * width of each column's content. A tick that ends no crash loop gives back the same rows, so it re-renders
 * only the cells.
 */
export function usePodTable(input: PodTableInput) {
  const { snapshot, filter, sort, byOwner, localNowMs } = input;
  const buildRows = useRef(createRowBuilder({ curve: input.curve })).current;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the version changes whenever the snapshot does.
  const allRows = useMemo(
    () => buildRows(snapshot, { localNowMs, offsetMs: (c) => snapshot.clockOffsetMs.get(c) ?? 0 }),
    [snapshot.version, localNowMs],
  );
  // Typing a filter narrows what the last key showed, already sorted: each key costs the rows still shown.
  const lastShown = useRef<{ allRows: PodRow[]; filter: RowFilter; sort: TableSort; rows: PodRow[] }>(
    undefined,
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: the filter's and the sort's fields, not their objects.
  const shownRows = useMemo(() => {
    const last = lastShown.current;
    const sameSort = last?.sort.column === sort.column && last.sort.direction === sort.direction;
    const rows =
      last && last.allRows === allRows && sameSort && narrows(last.filter, filter)
        ? filterRows(last.rows, filter)
        : sortRows(filterRows(allRows, filter), sort);
    lastShown.current = { allRows, filter, sort, rows };
    return rows;
  }, [allRows, filter.text, filter.namespace, filter.unhealthyOnly, sort.column, sort.direction]);
  const lines = useMemo(() => tableLines(shownRows, { byOwner }), [shownRows, byOwner]);
  const counts = useMemo(() => headerCounts(shownRows), [shownRows]);
  // Namespaces seen in the watches and pods: the picker never needs `list namespaces` (RBAC may forbid it).
  // Keyed by the watched namespaces, not the watches array: that is new in every snapshot.
  const watched = snapshot.watches.flatMap((w) => w.namespaces).join('\n');
  const namespaces = useMemo(
    () => [...new Set([...watched.split('\n'), ...allRows.map((r) => r.namespace)])].filter(Boolean).sort(),
    [watched, allRows],
  );
  const measured = useMemo(() => contentWidths(shownRows), [shownRows]);
  return { allRows, shownRows, lines, counts, namespaces, measured, siblings: buildRows.siblings };
}
