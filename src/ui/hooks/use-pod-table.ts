import { useContext, useMemo, useRef } from 'react';
import type { ClusterSnapshot } from '../../kube/source.js';
import type { BackoffCurve } from '../../model/backoff.js';
import { createRowBuilder, type RowFilter, type TableSort } from '../../model/rows.js';
import { PodTableState } from '../pod-table-state.js';
import { ClockContext, useLastTickPast } from './use-clock.js';

export interface PodTableInput {
  snapshot: ClusterSnapshot;
  curve?: BackoffCurve;
  filter: RowFilter;
  sort: TableSort;
  byOwner: boolean;
}

/**
 * The table's content from a snapshot: rows (rebuilt only for pods that changed, or whose crash loop ended),
 * the shown and sorted subset, its lines (grouped or not), the header's counts (of what is shown), the width
 * of each column's content, the namespaces and the crash loops, each kept up to date by the rows that changed
 * (PodTableState). It follows the shared clock only to the ticks that end a crash loop: a tick that ends none
 * does not even render the component that uses it.
 */
export function usePodTable(input: PodTableInput) {
  const { snapshot, filter, sort, byOwner } = input;
  const buildRows = useRef(createRowBuilder({ curve: input.curve })).current;
  const state = useRef(new PodTableState()).current;
  const clock = useContext(ClockContext);
  // The last tick at which some crash loop had ended: it changes only on such a tick.
  const expiredAt = useLastTickPast(buildRows.nextExpiryMs);
  // One step, so a change the builder hands over can never miss the table (a memo computed and then dropped).
  // biome-ignore lint/correctness/useExhaustiveDependencies: the version changes whenever the snapshot does; the filter's and the sort's fields, not their objects; expiredAt moves on a tick that ended a crash loop (the clock is read inside).
  const content = useMemo(() => {
    // Rows built for a snapshot are built at the last tick's time, as the table shows them.
    const at = { localNowMs: clock.now(), offsetMs: (c: string) => snapshot.clockOffsetMs.get(c) ?? 0 };
    return state.update(buildRows.rows, buildRows.update(snapshot, at), { filter, sort, byOwner });
  }, [
    snapshot.version,
    expiredAt,
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
