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
  type SortKey,
  sortRows,
  tableLines,
} from '../../model/rows.js';
import { contentWidths } from '../measure.js';

export interface PodTableInput {
  snapshot: ClusterSnapshot;
  /** Local epoch ms of the clock's last tick: rows whose crash loop ended by then are built again. */
  localNowMs: number;
  curve?: BackoffCurve;
  filter: RowFilter;
  sort: SortKey;
  byOwner: boolean;
  expanded: ReadonlySet<string>;
}

/**
 * The table's content from a snapshot: rows (rebuilt only for pods that changed, or whose crash loop ended),
 * the shown and sorted subset, its lines (grouped or not), the header's counts (of what is shown) and the
 * width of each column's content. A tick that ends no crash loop gives back the same rows, so it re-renders
 * only the cells.
 */
export function usePodTable(input: PodTableInput) {
  const { snapshot, filter, sort, byOwner, expanded, localNowMs } = input;
  const buildRows = useRef(createRowBuilder({ curve: input.curve })).current;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the version changes whenever the snapshot does.
  const allRows = useMemo(
    () => buildRows(snapshot, { localNowMs, offsetMs: (c) => snapshot.clockOffsetMs.get(c) ?? 0 }),
    [snapshot.version, localNowMs],
  );
  // Typing a filter narrows what the last key showed, already sorted: each key costs the rows still shown.
  const lastShown = useRef<{ allRows: PodRow[]; filter: RowFilter; sort: SortKey; rows: PodRow[] }>(
    undefined,
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: the filter's fields, not its object identity.
  const shownRows = useMemo(() => {
    const last = lastShown.current;
    const rows =
      last && last.allRows === allRows && last.sort === sort && narrows(last.filter, filter)
        ? filterRows(last.rows, filter)
        : sortRows(filterRows(allRows, filter), sort);
    lastShown.current = { allRows, filter, sort, rows };
    return rows;
  }, [allRows, filter.text, filter.namespace, filter.unhealthyOnly, sort]);
  const lines = useMemo(() => tableLines(shownRows, { byOwner, expanded }), [shownRows, byOwner, expanded]);
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
