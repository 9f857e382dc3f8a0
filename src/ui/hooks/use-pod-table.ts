import { useMemo, useRef } from 'react';
import type { ClusterSnapshot } from '../../kube/source.js';
import type { BackoffCurve } from '../../model/backoff.js';
import { createRowBuilder, type RowFilter, type TableSort } from '../../model/rows.js';
import { PodTableState } from '../pod-table-state.js';

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
 * the shown and sorted subset, its lines (grouped or not), the header's counts (of what is shown), the width
 * of each column's content, the namespaces and the crash loops, each kept up to date by the rows that changed
 * (PodTableState). A tick that ends no crash loop looks at nothing and gives back the same content.
 */
export function usePodTable(input: PodTableInput) {
  const { snapshot, filter, sort, byOwner, localNowMs } = input;
  const buildRows = useRef(createRowBuilder({ curve: input.curve })).current;
  const state = useRef(new PodTableState()).current;
  // One step, so a change the builder hands over can never miss the table (a memo computed and then dropped).
  // biome-ignore lint/correctness/useExhaustiveDependencies: the version changes whenever the snapshot does; the filter's and the sort's fields, not their objects.
  const content = useMemo(() => {
    const clock = { localNowMs, offsetMs: (c: string) => snapshot.clockOffsetMs.get(c) ?? 0 };
    return state.update(buildRows.rows, buildRows.update(snapshot, clock), { filter, sort, byOwner });
  }, [
    snapshot.version,
    localNowMs,
    filter.text,
    filter.namespace,
    filter.unhealthyOnly,
    sort.column,
    sort.direction,
    byOwner,
  ]);
  // Namespaces seen in the watches and pods: the picker never needs `list namespaces` (RBAC may forbid it).
  // Keyed by the watched namespaces, not the watches array: that is new in every snapshot.
  const watched = snapshot.watches.flatMap((w) => w.namespaces).join('\n');
  const namespaces = useMemo(
    () => [...new Set([...watched.split('\n'), ...content.namespaces])].filter(Boolean).sort(),
    [watched, content.namespaces],
  );
  return { ...content, namespaces, siblings: buildRows.siblings };
}
